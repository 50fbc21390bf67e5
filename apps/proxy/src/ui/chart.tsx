import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

/** One line of a chart. */
export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
}

const PALETTE = ["#2f7ed8", "#e4572e", "#17a589", "#f3a712", "#8e44ad", "#7f8c8d", "#c0392b"];

/** The n-th colour of the chart palette. */
export const colorAt = (i: number) => PALETTE[i % PALETTE.length] ?? "#333";

/** A uPlot time-series chart; `t` is in ms since the epoch. Recreated when the series set changes. */
export function Chart(props: {
  title: string;
  t: number[];
  series: ChartSeries[];
  format?: (n: number) => string;
  spanGaps?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = `${props.title}|${props.series.map((s) => s.label).join(",")}`;
  const data = [
    props.t.map((t) => t / 1000),
    ...props.series.map((s) => s.values),
  ] as uPlot.AlignedData;

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const format = props.format ?? ((n: number) => String(n));
    plot.current = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 180,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [{}, { size: 60, values: (_u, splits) => splits.map(format) }],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            // Latency has no value in a quiet bucket: join the points around it.
            spanGaps: props.spanGaps === true,
            points: { size: 5 },
            value: (_u: uPlot, v: number | null) => (v === null ? "–" : format(v)),
          })),
        ],
      },
      data,
      el,
    );
    const resize = () =>
      plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: 180 });
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={host} />
    </figure>
  );
}
