import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readUsageRecords } from "../src/usage/read-usage.js";
import { cliEnv, ensureBuilt, type ProxyProcess, startProxy, tempHome } from "./cli-helpers.js";
import { openAIHandler, REQUEST_COST, TEST_PRICES } from "./helpers/guard-upstreams.js";
import { type MockUpstream, startMockUpstream } from "./helpers/mock-upstream.js";

let upstream: MockUpstream;
let home: { home: string; cleanup: () => Promise<void> };
let proxy: ProxyProcess | undefined;

beforeAll(async () => {
  await ensureBuilt();
  upstream = await startMockUpstream(openAIHandler({ mode: "ok" }));
  home = await tempHome();
  await writeFile(
    join(home.home, "config.json"),
    JSON.stringify({
      backends: { oa: { type: "openai", baseUrl: `${upstream.url}/v1`, apiKey: "sk-test-oa" } },
      routes: [{ match: "gpt-*", backend: "oa" }],
      prices: TEST_PRICES,
      budgets: [{ name: "big", limitUsd: 1000, period: "day" }],
    }),
  );
});
afterAll(async () => {
  proxy?.kill();
  await upstream.close();
  await home.cleanup();
});

describe("usage log under SIGKILL", () => {
  it("keeps a readable record for every request whose response completed", async () => {
    proxy = await startProxy(["--port", "0"], cliEnv(home.home));
    const url = proxy.url;
    const completed: string[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const model = `gpt-test-${next++}`;
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
          if (res.status === 200 && !killed) completed.push(model);
        } catch {
          return; // the proxy is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (completed.length < 120) await new Promise((r) => setTimeout(r, 5));
    // Everything counted as completed so far had its full response before the kill.
    const before = completed.length;
    killed = true;
    proxy.child.kill("SIGKILL");
    expect((await proxy.exited).signal).toBe("SIGKILL");
    await Promise.all(workers);
    const done = completed.slice(0, before);

    const { records, skippedLines } = await readUsageRecords({ dir: join(home.home, "usage") });
    expect(skippedLines).toBeLessThanOrEqual(1); // at most one torn line, never more
    // Each request asked for its own model name, so its record is found by `model`.
    const logged = new Set(records.map((r) => r.model));
    const missing = done.filter((m) => !logged.has(m));
    expect(missing).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(done.length);
    for (const r of records) expect(r).toMatchObject({ backend: "oa", costUsd: REQUEST_COST });
  });
});
