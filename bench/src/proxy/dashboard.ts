/**
 * The "dashboard open" scenario of `pnpm bench proxy`: a switchyard process with a live
 * dashboard client attached during each measured window (the event stream with request
 * events, as the Live view holds it, plus the Overview's, Pool's and Guard's polls), judged
 * against the plain switchyard process of the same rounds: at most {@link DASHBOARD_LIMIT}
 * more CPU per request (the proxy's throughput per core), and req/s shown beside it.
 * `pnpm bench proxy --modes default,dashboard` (separate processes); `pnpm bench dashboard`
 * measures the same in one process, alternating windows, which a shared machine disturbs less.
 */
import type { BenchMode } from "./paths.js";
import { type CellResult, median, type Verdicts } from "./report.js";

/** A live dashboard may cost the proxy at most this share of its throughput. */
export const DASHBOARD_LIMIT = 0.03;

/** How often the dashboard's views poll (the page's own intervals). */
const POLLS: Array<[string, number]> = [
  ["/overview?window=15m", 2000],
  ["/pool", 2000],
  ["/guard", 3000],
];

/** Opens what a dashboard tab keeps open; resolves once the stream is up and the table seeded. */
async function attachDashboard(origin: string): Promise<() => Promise<void>> {
  const controller = new AbortController();
  const { signal } = controller;
  const res = await fetch(`${origin}/events?requests=1&spend=0`, { signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let events = 0;
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        // Parse as the page does: every frame's JSON.
        for (const line of decoder.decode(value, { stream: true }).split("\n")) {
          if (line.startsWith("data: ")) {
            JSON.parse(line.slice(6));
            events += 1;
          }
        }
      }
    } catch {
      // aborted on detach
    }
  })();
  await (await fetch(`${origin}/requests?limit=500`, { signal })).json();
  const timers = POLLS.map(([path, ms]) =>
    setInterval(() => {
      fetch(`${origin}${path}`, { signal })
        .then((r) => r.arrayBuffer())
        .catch(() => {});
    }, ms),
  );
  return async () => {
    for (const t of timers) clearInterval(t);
    controller.abort();
    await reading;
    if (events === 0) console.warn("dashboard client: no request events arrived");
  };
}

/** The bench mode: switchyard with a dashboard attached. */
export const dashboardMode: BenchMode = {
  id: "dashboard",
  label: "switchyard + dashboard",
  byDefault: false,
  attach: attachDashboard,
};

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : "–");

/**
 * Prints the dashboard's cost: per path × kind, its CPU per request over the plain proxy's
 * (each as a ratio to the bare pipe of its own round, so machine noise cancels), and req/s.
 */
export function printDashboardTable(cells: CellResult[], out: Verdicts): void {
  const plain = cells.filter((c) => c.mode === "switchyard");
  const open = cells.filter((c) => c.mode === dashboardMode.label);
  if (plain.length === 0 || open.length === 0) return;
  console.log(
    `\n### Dashboard open: CPU per request and req/s against the plain proxy (≤ ${DASHBOARD_LIMIT * 100} % loss)\n`,
  );
  console.log(
    "| path | kind | CPU/req vs plain | throughput loss | req/s plain | req/s dashboard | verdict |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const d of open) {
    const p = plain.find((c) => c.path === d.path && c.kind === d.kind);
    if (p === undefined) continue;
    const rel = (c: CellResult) =>
      median(c.ours.map((s, i) => s.cpuPerRequest / (c.bare[i]?.cpuPerRequest ?? Number.NaN)));
    const cpu = rel(d) / rel(p);
    const loss = 1 - 1 / cpu;
    const ok = loss <= DASHBOARD_LIMIT;
    if (ok) out.pass += 1;
    else out.fail.push(`dashboard ${d.path} ${d.kind} ${f(loss * 100, 1)} % loss`);
    const rps = (c: CellResult) => median(c.ours.map((s) => s.rps));
    console.log(
      `| ${d.path} | ${d.kind} | ${f(cpu, 3)}× | ${f(loss * 100, 1)} % | ${f(rps(p), 0)} | ${f(rps(d), 0)} | ${ok ? "pass" : "**FAIL**"} |`,
    );
  }
}
