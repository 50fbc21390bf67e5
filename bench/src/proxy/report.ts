import type { Sample } from "./processes.js";

/** CPU per request may be at most this multiple of the bare pipe's (issue #16). */
export const CPU_LIMIT = 1.25;
/** Peak RSS may be at most this multiple of the bare pipe's. */
export const RSS_LIMIT = 1.1;
/** Added p50 latency at c=1 (ms). */
export const ADDED_P50_LIMIT = 0.3;

export const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : "–");

/** `median (min–max)` of a series. */
const spread = (values: number[], d = 2, unit = "") =>
  `${f(median(values), d)}${unit} (${f(Math.min(...values), d)}–${f(Math.max(...values), d)})`;

const verdict = (ok: boolean) => (ok ? "pass" : "**FAIL**");

/** Alternating rounds of one cell: the bare pipe's samples and one mode's, paired by round. */
export interface CellResult {
  path: string;
  /** The path's and kind's ids in `paths.ts`. */
  pathId: string;
  kindId: string;
  kind: string;
  mode: string;
  bare: Sample[];
  ours: Sample[];
}

export interface Verdicts {
  pass: number;
  fail: string[];
}

const pick = (samples: Sample[], key: keyof Sample) => median(samples.map((s) => s[key]));

/** The CPU/throughput table; one row per path × kind (× mode when several run). */
export function printCpuTable(
  cells: CellResult[],
  load: string,
  showMode: boolean,
  out: Verdicts,
): void {
  const rounds = cells[0]?.bare.length ?? 0;
  console.log(
    `\n### CPU per request at ${load}, switchyard ÷ bare pipe (${rounds} alternating rounds; median (min–max) of the per-round ratios)\n`,
  );
  console.log(
    `| path | kind |${showMode ? " mode |" : ""} bare µs/req | switchyard µs/req | CPU ratio | ≤ ${CPU_LIMIT}× | bare req/s | switchyard req/s | bare p50/p99 ms | switchyard p50/p99 ms |`,
  );
  console.log(`|---|---|${showMode ? "---|" : ""}---|---|---|---|---|---|---|---|`);
  for (const c of cells) {
    const ratios = c.ours.map((o, i) => o.cpuPerRequest / (c.bare[i]?.cpuPerRequest ?? 0));
    const ratio = median(ratios);
    const ok = ratio <= CPU_LIMIT;
    if (ok) out.pass += 1;
    else out.fail.push(`CPU ${c.path} ${c.kind}${showMode ? ` (${c.mode})` : ""} ${f(ratio)}×`);
    console.log(
      `| ${c.path} | ${c.kind} |${showMode ? ` ${c.mode} |` : ""} ${f(pick(c.bare, "cpuPerRequest"), 0)} | ${f(pick(c.ours, "cpuPerRequest"), 0)} | ${spread(ratios, 2, "×")} | ${verdict(ok)} | ${f(pick(c.bare, "rps"), 0)} | ${f(pick(c.ours, "rps"), 0)} | ${f(pick(c.bare, "p50"))} / ${f(pick(c.bare, "p99"))} | ${f(pick(c.ours, "p50"))} / ${f(pick(c.ours, "p99"))} |`,
    );
  }
}

/** The c=1 latency table: what switchyard adds to the bare pipe's median latency. */
export function printLatencyTable(cells: CellResult[], showMode: boolean, out: Verdicts): void {
  if (cells.length === 0) return;
  console.log(
    `\n### Added latency at c=1 (median (min–max) over rounds of switchyard p50 − bare p50)\n`,
  );
  console.log(
    `| path | kind |${showMode ? " mode |" : ""} bare p50 ms | switchyard p50 ms | added p50 ms | ≤ ${ADDED_P50_LIMIT} ms |`,
  );
  console.log(`|---|---|${showMode ? "---|" : ""}---|---|---|---|`);
  for (const c of cells) {
    const added = c.ours.map((o, i) => o.p50 - (c.bare[i]?.p50 ?? 0));
    const ok = median(added) <= ADDED_P50_LIMIT;
    if (ok) out.pass += 1;
    else out.fail.push(`added p50 ${c.path} ${c.kind} ${f(median(added), 3)} ms`);
    console.log(
      `| ${c.path} | ${c.kind} |${showMode ? ` ${c.mode} |` : ""} ${f(pick(c.bare, "p50"), 3)} | ${f(pick(c.ours, "p50"), 3)} | ${spread(added, 3)} | ${verdict(ok)} |`,
    );
  }
}

/** Peak memory of one server process. */
export interface MemoryResult {
  name: string;
  /** `VmHWM` at the end of the run (MB). */
  hwm: number;
  /** Highest `VmRSS` sampled every 100 ms while measuring (MB). */
  sampled: number;
}

/** The peak-RSS table; every switchyard process is judged against the bare pipe. */
export function printMemoryTable(bare: MemoryResult, ours: MemoryResult[], out: Verdicts): void {
  console.log("\n### Peak RSS of each server process (VmHWM; highest VmRSS sampled under load)\n");
  console.log(`| process | VmHWM MB | sampled peak MB | ratio to bare (VmHWM) | ≤ ${RSS_LIMIT}× |`);
  console.log("|---|---|---|---|---|");
  console.log(`| ${bare.name} | ${f(bare.hwm, 1)} | ${f(bare.sampled, 1)} | 1.00× | |`);
  for (const m of ours) {
    const ratio = m.hwm / bare.hwm;
    const ok = ratio <= RSS_LIMIT;
    if (ok) out.pass += 1;
    else out.fail.push(`RSS ${m.name} ${f(ratio)}×`);
    console.log(
      `| ${m.name} | ${f(m.hwm, 1)} | ${f(m.sampled, 1)} | ${f(ratio)}× | ${verdict(ok)} |`,
    );
  }
}
