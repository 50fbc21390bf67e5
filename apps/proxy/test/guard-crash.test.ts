import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readUsageRecords } from "../src/usage/read-usage.js";
import { cliEnv, ensureBuilt, type ProxyProcess, startProxy, tempHome } from "./cli-helpers.js";
import { openAIHandler, REQUEST_COST, TEST_PRICES } from "./helpers/guard-upstreams.js";
import { type MockUpstream, startMockUpstream } from "./helpers/mock-upstream.js";

/** The documented loss window of the usage log on kill -9 (README, "Usage log"). */
const WINDOW_MS = 100;
/** The budget halts after this many requests' worth of spend. */
const BUDGET_REQUESTS = 60;

let upstream: MockUpstream;
const homes: { home: string; cleanup: () => Promise<void> }[] = [];
const proxies: ProxyProcess[] = [];

beforeAll(async () => {
  await ensureBuilt();
  upstream = await startMockUpstream(openAIHandler({ mode: "ok" }));
});
afterAll(async () => {
  for (const p of proxies) p.kill();
  await upstream.close();
  for (const h of homes) await h.cleanup();
});

async function newHome(): Promise<string> {
  const home = await tempHome();
  homes.push(home);
  await writeFile(
    join(home.home, "config.json"),
    JSON.stringify({
      backends: { oa: { type: "openai", baseUrl: `${upstream.url}/v1`, apiKey: "sk-test-oa" } },
      routes: [{ match: "gpt-*", backend: "oa" }],
      prices: TEST_PRICES,
      budgets: [{ name: "day", limitUsd: REQUEST_COST * (BUDGET_REQUESTS - 0.5), period: "day" }],
    }),
  );
  return home.home;
}

async function start(home: string): Promise<ProxyProcess> {
  const proxy = await startProxy(["--port", "0"], cliEnv(home));
  proxies.push(proxy);
  return proxy;
}

interface Done {
  model: string;
  status: number;
  /** `performance.now()` when the client had the whole response. */
  at: number;
}

/** A bounded burst of 8 concurrent clients, each request with its own model name. */
function burst(url: string, max: number) {
  const done: Done[] = [];
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < max) {
      const model = `gpt-crash-${next++}`;
      try {
        const res = await fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model,
            stream: next % 2 === 0,
            messages: [{ role: "user", content: "hi" }],
          }),
        });
        await res.text();
        if (!stopped) done.push({ model, status: res.status, at: performance.now() });
      } catch {
        return; // the proxy is gone
      }
    }
  };
  const workers = Promise.all(Array.from({ length: 8 }, worker));
  return {
    done,
    stop: async () => {
      stopped = true;
      await workers;
    },
  };
}

/** Spend and halt as a (re)started proxy reports them, and what the usage log holds. */
async function observe(home: string, proxy: ProxyProcess) {
  const guard = (await (await fetch(`${proxy.url}/guard`)).json()) as {
    state: string;
    budgets: { spentUsd: number }[];
  };
  const { records, skippedLines } = await readUsageRecords({ dir: join(home, "usage") });
  const billed = records.filter((r) => r.status < 400 && typeof r.costUsd === "number");
  const logSpend = billed.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  return { guard, logged: new Set(records.map((r) => r.model)), skippedLines, logSpend };
}

/** Runs a burst until `target` responses completed (bounded), then stops the proxy. */
async function burstThenStop(proxy: ProxyProcess, target: number, signal: NodeJS.Signals) {
  const load = burst(proxy.url, 400);
  const deadline = Date.now() + 10_000;
  while (load.done.length < target && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
  }
  const stoppedAt = performance.now();
  proxy.child.kill(signal);
  const exit = await proxy.exited;
  const done = signal === "SIGKILL" ? load.done.filter((d) => d.at < stoppedAt) : load.done;
  await load.stop();
  expect(done.length).toBeGreaterThanOrEqual(target);
  return { exit, done, stoppedAt };
}

describe("kill -9 and SIGTERM during a burst with a budget", () => {
  it("loses no record outside the write window, spend never goes backwards, a halt announced is kept", async () => {
    const home = await newHome();
    let proxy = await start(home);
    // Random kill points: before the budget halts, then around or after it; then a clean stop.
    const rounds: [number, NodeJS.Signals][] = [
      [10 + Math.floor(Math.random() * 40), "SIGKILL"],
      [20 + Math.floor(Math.random() * 60), "SIGKILL"],
      [20, "SIGTERM"],
    ];
    let halted = false;
    for (const [target, signal] of rounds) {
      const { exit, done, stoppedAt } = await burstThenStop(proxy, target, signal);
      if (signal === "SIGTERM") expect(exit.code).toBe(0);
      else expect(exit.signal).toBe("SIGKILL");
      halted ||= done.some((d) => d.status === 503);

      proxy = await start(home);
      const { guard, logged, skippedLines, logSpend } = await observe(home, proxy);
      expect(skippedLines).toBeLessThanOrEqual(1); // at most one torn tail per kill
      const window = signal === "SIGKILL" ? WINDOW_MS : 0;
      const lost = done.filter((d) => d.at < stoppedAt - window && !logged.has(d.model));
      expect(
        lost.map((d) => Math.round(stoppedAt - d.at)),
        `${signal} after ${target} responses`,
      ).toEqual([]);
      // The restarted guard counts every billed record in the log: spend never goes backwards.
      expect(guard.budgets[0]?.spentUsd).toBeCloseTo(logSpend, 9);
      if (halted) expect(guard.state).toBe("halted");
      if (logSpend > REQUEST_COST * BUDGET_REQUESTS) expect(guard.state).toBe("halted");
    }
    proxy.kill();
  });
});
