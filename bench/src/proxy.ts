/**
 * Proxy overhead: the built `switchyard proxy` (apps/proxy/dist/cli.js) against a bare
 * `node:http` + undici pipe, each in its own process, in front of the same mock upstream (a
 * third process), loaded by an undici load generator (a fourth). For every path × kind in
 * `proxy/paths.ts` it runs alternating rounds (bare, switchyard, bare, switchyard…), a kind's
 * paths interleaved round by round so that they share the machine's state, and judges
 * switchyard's CPU µs per request (the server process's own CPU over the measured window,
 * from /proc) against the bare pipe's: ≤ 1.25×. Also req/s, p50/p99, the c=1 added p50
 * (≤ 0.3 ms) and each server's peak RSS (VmHWM, ≤ 1.1× the bare pipe's).
 *
 * Before any round, every path × kind runs in every process for `--jit-warmup` ms (default 1500)
 * at the bench's concurrency: switchyard's V8 keeps optimising functions for its first ~10,000
 * requests (about 650 in all; 430 after 2,000 requests, 610 after 6,000, by `--trace-opt`), and
 * the compiler threads' CPU counts against the process, so a short warm-up measures a proxy
 * still compiling rather than one that has run for a while.
 *
 * `pnpm bench proxy [--rounds 3] [--duration 700] [--warmup 200] [--jit-warmup 1500] [--concurrency 16] [--min-requests 300] [--rate N]
 * [--paths pass-openai,…] [--kinds json,s9,s200] [--modes default,…] [--no-c1] [--strict]`.
 * `--rate N` sends N requests a second on a schedule (at most `--concurrency` in flight) instead
 * of closed loops, so both servers do the same work per second. The default run takes about 3
 * minutes. `BENCH_NODE_FLAGS="--cpu-prof …"` starts switchyard
 * (only) with those node flags, `BENCH_BARE_NODE_FLAGS` the bare pipe.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { printDashboardTable } from "./proxy/dashboard.js";
import {
  type BenchKind,
  type BenchMode,
  type BenchPath,
  kinds,
  modes,
  paths,
} from "./proxy/paths.js";
import {
  type LoadGenerator,
  memoryMb,
  type Sample,
  type Server,
  startLoadGenerator,
  startScript,
  startSwitchyard,
  stopAll,
} from "./proxy/processes.js";
import {
  type CellResult,
  type MemoryResult,
  printCpuTable,
  printLatencyTable,
  printMemoryTable,
  type Verdicts,
} from "./proxy/report.js";
import { printResponsesTable } from "./proxy/responses-table.js";

const cli = join(import.meta.dirname, "../../apps/proxy/dist/cli.js");

interface Options {
  rounds: number;
  measureMs: number;
  warmupMs: number;
  /** Load per path × kind in every process before the first round (JIT warm-up). */
  jitWarmupMs: number;
  concurrency: number;
  paths: BenchPath[];
  kinds: BenchKind[];
  modes: BenchMode[];
  /** Requests a second on a fixed schedule instead of closed loops (0: closed loops). */
  rate: number;
  /** A window goes on until this many requests completed (at most 4 × its duration). */
  minRequests: number;
  c1: boolean;
  strict: boolean;
}

/** Picks the rows named in a comma list (all, or the defaults, when absent). */
function select<T extends { id: string }>(all: T[], list: string | undefined, what: string): T[] {
  if (list === undefined) return all;
  const ids = list.split(",").filter(Boolean);
  const unknown = ids.filter((id) => !all.some((x) => x.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown ${what}: ${unknown.join(", ")} (known: ${all.map((x) => x.id).join(", ")})`,
    );
  }
  return all.filter((x) => ids.includes(x.id));
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      rounds: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      "jit-warmup": { type: "string" },
      concurrency: { type: "string" },
      "min-requests": { type: "string" },
      rate: { type: "string" },
      paths: { type: "string" },
      kinds: { type: "string" },
      modes: { type: "string" },
      "no-c1": { type: "boolean" },
      strict: { type: "boolean" },
    },
  });
  const int = (v: string | undefined, d: number) => {
    const n = v === undefined ? d : Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive integer, got ${v}`);
    return n;
  };
  return {
    rounds: int(values.rounds, 3),
    measureMs: int(values.duration, 700),
    warmupMs: int(values.warmup, 200),
    jitWarmupMs: int(values["jit-warmup"], 1500),
    concurrency: int(values.concurrency, 16),
    minRequests: int(values["min-requests"], 300),
    rate: values.rate === undefined ? 0 : int(values.rate, 0),
    paths: select(paths, values.paths, "path"),
    kinds: select(kinds, values.kinds, "kind"),
    modes:
      values.modes === undefined
        ? modes.filter((m) => m.byDefault)
        : select(modes, values.modes, "mode"),
    c1: values["no-c1"] !== true,
    strict: values.strict === true,
  };
}

/** One path × kind at one concurrency: its bare pipe's samples and each mode's, by round. */
interface Cell {
  results: CellResult[];
  /** Measures one round: the bare pipe and each mode, which goes first alternating by round. */
  measureRound(round: number): Promise<void>;
}

function createCell(p: {
  load: LoadGenerator;
  bare: Server;
  ours: Array<{ mode: BenchMode; server: Server }>;
  path: BenchPath;
  kind: BenchKind;
  concurrency: number;
  options: Options;
}): Cell {
  const { load, bare, ours, path, kind, concurrency, options } = p;
  const results = ours.map(({ mode }) => ({
    path: path.label,
    pathId: path.id,
    kindId: kind.id,
    kind: kind.label,
    mode: mode.label,
    bare: [] as Sample[],
    ours: [] as Sample[],
  }));
  const window = {
    concurrency,
    warmupMs: options.warmupMs,
    measureMs: options.measureMs,
    minRequests: options.minRequests,
    rate: concurrency === 1 ? 0 : options.rate,
  };
  // One bare window a round serves as every mode's baseline (a default run with two modes
  // measures three windows a round, not four).
  const measureBare = async () => {
    const sample = await load.run({ server: bare, request: path.baseline(kind), ...window });
    for (const result of results) result.bare.push(sample);
  };
  const measureOurs = async (i: number) => {
    const { mode, server } = ours[i] as (typeof ours)[number];
    const detach = await mode.attach?.(server.origin);
    try {
      const sample = await load.run({ server, request: path.request(kind), ...window });
      (results[i] as CellResult).ours.push(sample);
    } finally {
      await detach?.();
    }
  };
  return {
    results,
    async measureRound(round) {
      // Bare first in even rounds, last (and the modes in reverse) in odd ones: a drift in the
      // machine's load over a round does not always favour the same side.
      if (round % 2 === 0) {
        await measureBare();
        for (let i = 0; i < ours.length; i++) await measureOurs(i);
      } else {
        for (let i = ours.length - 1; i >= 0; i--) await measureOurs(i);
        await measureBare();
      }
    },
  };
}

/**
 * Measures cells in interleaved rounds: round r of every cell, then round r + 1 of every cell
 * (in reverse order), and so on. Cells compared with each other (the Responses paths and the
 * translated paths, which send the upstream the same exchange) are thus measured in the same
 * stretch of time, each pair back to back (`paths` lists them side by side): the machine's
 * drift over a run (the bare pipe's own CPU for one exchange moved 40 % between cells
 * measured a minute apart) no longer lands on one side of a pair.
 */
async function measureInterleaved(cells: Cell[], rounds: number): Promise<CellResult[]> {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? cells : [...cells].reverse();
    for (const cell of order) await cell.measureRound(round);
  }
  return cells.flatMap((c) => c.results);
}

/** Runs the proxy benchmark and prints its tables. */
export async function run(args: string[] = []): Promise<void> {
  if (!existsSync(cli)) {
    console.log(`skipped: ${cli} is missing; build it first (pnpm --filter @switchyard/cli build)`);
    return;
  }
  const options = parseOptions(args);
  const dir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
  const children: Server["child"][] = [];
  try {
    const mock = await startScript("mock upstream", "mock-upstream.mjs");
    children.push(mock.child);
    const bareFlags = process.env.BENCH_BARE_NODE_FLAGS?.split(" ").filter(Boolean) ?? [];
    const bare = await startScript("bare pipe", "bare-pipe.mjs", [mock.origin], bareFlags);
    children.push(bare.child);
    const config = join(dir, "config.json");
    writeFileSync(
      config,
      JSON.stringify({
        backends: {
          oa: { type: "openai", baseUrl: `${mock.origin}/v1`, apiKey: "bench" },
          an: { type: "anthropic", baseUrl: mock.origin, apiKey: "bench" },
        },
        routes: [
          { match: "gpt-*", backend: "oa" },
          { match: "claude-*", backend: "an" },
        ],
      }),
    );
    const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? [];
    const ours: Array<{ mode: BenchMode; server: Server }> = [];
    for (const mode of options.modes) {
      const home = join(dir, mode.id);
      const server = await startSwitchyard({
        name: mode.label,
        cli: mode.cli ?? cli,
        config,
        home,
        args: mode.args?.(home) ?? [],
        nodeFlags,
      });
      children.push(server.child);
      ours.push({ mode, server });
    }
    const load = await startLoadGenerator();
    children.push(load.child);

    const servers = [bare, ...ours.map((o) => o.server)];
    const sampled = new Map<Server, number>(servers.map((s) => [s, 0]));
    const sampler = setInterval(() => {
      for (const s of servers) {
        const rss = memoryMb(s.child.pid ?? 0).rss;
        if (rss > (sampled.get(s) ?? 0)) sampled.set(s, rss);
      }
    }, 100);

    const started = performance.now();
    console.log(
      `${options.paths.length} paths × ${options.kinds.length} kinds × ${options.rounds} rounds, ${options.measureMs} ms windows, c=${options.concurrency}${options.rate > 0 ? ` at ${options.rate} req/s` : " closed loops"}; modes: ${options.modes.map((m) => m.id).join(", ")}`,
    );
    // JIT warm-up: every path in every process before anything is measured (see above).
    for (const path of options.paths) {
      for (const kind of options.kinds) {
        const warm = {
          concurrency: options.concurrency,
          warmupMs: 0,
          measureMs: options.jitWarmupMs,
        };
        await load.run({ server: bare, request: path.baseline(kind), ...warm });
        for (const { server } of ours) {
          await load.run({ server, request: path.request(kind), ...warm });
        }
      }
    }
    // One kind at a time, its paths in interleaved rounds (see measureInterleaved).
    const cells: CellResult[] = [];
    for (const kind of options.kinds) {
      const kindCells = options.paths.map((path) =>
        createCell({ load, bare, ours, path, kind, options, concurrency: options.concurrency }),
      );
      cells.push(...(await measureInterleaved(kindCells, options.rounds)));
    }
    // The table lists a path's kinds together, as before.
    const pathIndex = (c: CellResult) => options.paths.findIndex((p) => p.id === c.pathId);
    cells.sort((a, b) => pathIndex(a) - pathIndex(b));
    let latency: CellResult[] = [];
    const json = options.kinds.find((k) => !k.stream);
    if (options.c1 && json !== undefined) {
      const c1Options = { ...options, measureMs: Math.min(options.measureMs, 600) };
      const c1Cells = options.paths.map((path) =>
        createCell({ load, bare, ours, path, kind: json, options: c1Options, concurrency: 1 }),
      );
      latency = await measureInterleaved(c1Cells, options.rounds);
    }
    clearInterval(sampler);
    const memory = (s: Server): MemoryResult => ({
      name: s.name,
      hwm: memoryMb(s.child.pid ?? 0).hwm,
      sampled: sampled.get(s) ?? 0,
    });

    const verdicts: Verdicts = { pass: 0, fail: [] };
    const showMode = ours.length > 1;
    const loadLabel = `c=${options.concurrency}${options.rate > 0 ? `, ${options.rate} req/s` : ""}`;
    printCpuTable(cells, loadLabel, showMode, verdicts);
    printLatencyTable(latency, showMode, verdicts);
    printDashboardTable(cells, verdicts);
    printResponsesTable(cells, verdicts);
    printMemoryTable(
      memory(bare),
      ours.map((o) => memory(o.server)),
      verdicts,
    );
    console.log(
      `\n${verdicts.fail.length === 0 ? "PASS" : "FAIL"}: ${verdicts.pass} checks pass${verdicts.fail.length > 0 ? `, ${verdicts.fail.length} fail (${verdicts.fail.join("; ")})` : ""}; ${((performance.now() - started) / 1000).toFixed(0)} s measured.`,
    );
    if (nodeFlags.length > 0) console.log(`switchyard ran with node flags: ${nodeFlags.join(" ")}`);
    if (options.strict && verdicts.fail.length > 0) process.exitCode = 1;
  } finally {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
  }
}
