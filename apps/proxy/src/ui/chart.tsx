import { useEffect, useRef } from "preact/hooks";
import type uPlot from "uplot";

/**
 * uPlot, fetched the first time a chart is drawn (a chunk of its own): the page's first paint
 * and its other views never wait for the chart code.
 */
let uPlotLoading: Promise<typeof uPlot> | undefined;
const loadUPlot = () => {
  uPlotLoading ??= import("uplot").then((m) => m.default);
  return uPlotLoading;
};

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

  const dataRef = useRef(data);
  dataRef.current = data;

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    let gone = false;
    const format = props.format ?? ((n: number) => String(n));
    const resize = () =>
      plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: 180 });
    void loadUPlot().then((UPlot) => {
      if (gone) return;
      plot.current = new UPlot(
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
        dataRef.current,
        el,
      );
      window.addEventListener("resize", resize);
    });
    return () => {
      gone = true;
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
