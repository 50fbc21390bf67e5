/**
 * `pnpm bench dashboard`: what an open dashboard costs the proxy. One built `switchyard proxy`
 * process in front of the mock upstream; alternating windows with and without a live
 * dashboard client attached (the event stream with request events plus the Overview, Pool and
 * Guard polls, see proxy/dashboard.ts), so both sides run in the same process, JIT and heap.
 * Judged on the proxy's CPU per request (its throughput per core): at most 3 % more with the
 * dashboard open. `pnpm bench dashboard [--rounds 8] [--duration 1500]`.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DASHBOARD_LIMIT, dashboardMode } from "./proxy/dashboard.js";
import { kinds, paths } from "./proxy/paths.js";
import {
  type Server,
  startLoadGenerator,
  startScript,
  startSwitchyard,
  stopAll,
} from "./proxy/processes.js";
import { median } from "./proxy/report.js";

const cli = join(import.meta.dirname, "../../apps/proxy/dist/cli.js");
const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : "–");

/** Runs the A/B and prints one row per path × kind. */
export async function run(args: string[] = process.argv.slice(3)): Promise<void> {
  if (!existsSync(cli)) {
    console.log(`skipped: ${cli} is missing; build it first (pnpm --filter @switchyard/cli build)`);
    return;
  }
  const { values } = parseArgs({
    args,
    options: { rounds: { type: "string" }, duration: { type: "string" } },
    strict: false,
  });
  const rounds = Number(values.rounds ?? 8);
  const measureMs = Number(values.duration ?? 1500);
  const dir = mkdtempSync(join(tmpdir(), "switchyard-bench-dash-"));
  const children: Server["child"][] = [];
  try {
    const mock = await startScript("mock upstream", "mock-upstream.mjs");
    children.push(mock.child);
    const config = join(dir, "config.json");
    writeFileSync(
      config,
      JSON.stringify({
        backends: { oa: { type: "openai", baseUrl: `${mock.origin}/v1`, apiKey: "bench" } },
        routes: [{ match: "gpt-*", backend: "oa" }],
      }),
    );
    const server = await startSwitchyard({
      name: "switchyard",
      cli,
      config,
      home: join(dir, "home"),
      args: [],
      nodeFlags: [],
    });
    children.push(server.child);
    const load = await startLoadGenerator();
    children.push(load.child);
    const path = paths.find((p) => p.id === "pass-openai");
    if (path === undefined) throw new Error("pass-openai path missing");
    const window = { server, concurrency: 16, warmupMs: 200, measureMs, minRequests: 300 };
    console.log(
      `one switchyard process, ${rounds} rounds × (plain, dashboard open), ${measureMs} ms windows, c=16`,
    );
    console.log(
      "\n| path | kind | plain µs/req | dashboard µs/req | CPU/req ratio (median, min–max) | throughput loss | ≤ 3 % |",
    );
    console.log("|---|---|---|---|---|---|---|");
    let failed = 0;
    for (const kind of kinds.filter((k) => k.id !== "s200")) {
      const request = path.request(kind);
      await load.run({ ...window, request, warmupMs: 0, measureMs: 500 });
      const plain: number[] = [];
      const open: number[] = [];
      const withDashboard = async () => {
        const detach = await dashboardMode.attach?.(server.origin);
        try {
          open.push((await load.run({ ...window, request })).cpuPerRequest);
        } finally {
          await detach?.();
        }
      };
      // Which side goes first alternates, so drift within a round (GC, a neighbour's burst)
      // falls on both sides alike.
      for (let i = 0; i < rounds; i++) {
        if (i % 2 === 1) await withDashboard();
        plain.push((await load.run({ ...window, request })).cpuPerRequest);
        if (i % 2 === 0) await withDashboard();
      }
      const ratios = open.map((o, i) => o / (plain[i] ?? Number.NaN));
      // µs/req per round, to see the spread the machine adds.
      console.error(`${kind.id} plain ${plain.map((n) => n.toFixed(0)).join(" ")}`);
      console.error(`${kind.id} open  ${open.map((n) => n.toFixed(0)).join(" ")}`);
      const ratio = median(ratios);
      const loss = 1 - 1 / ratio;
      const ok = loss <= DASHBOARD_LIMIT;
      if (!ok) failed += 1;
      console.log(
        `| ${path.label} | ${kind.label} | ${f(median(plain), 0)} | ${f(median(open), 0)} | ${f(ratio, 3)}× (${f(Math.min(...ratios), 2)}–${f(Math.max(...ratios), 2)}) | ${f(loss * 100, 1)} % | ${ok ? "pass" : "**FAIL**"} |`,
      );
    }
    console.log(`\n${failed === 0 ? "PASS" : "FAIL"}: dashboard open costs ≤ 3 % of throughput`);
  } finally {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
  }
}
