import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/index.js";
import { type RunningServer, startServer } from "../src/server/index.js";
import { KEY_A, KEY_B, type MockTarget, startMockTarget } from "./helpers/pool-harness.js";

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("pool targets from config.json", () => {
  it("resolves each target's own key (env:KEY_B for b only; a inherits the backend key)", async () => {
    const home = await mkdtemp(join(tmpdir(), "sy-pool-"));
    cleanup.push(() => rm(home, { recursive: true, force: true }));
    const a: MockTarget = await startMockTarget("openai", KEY_A);
    const b: MockTarget = await startMockTarget("openai", KEY_B);
    cleanup.push(
      () => a.upstream.close(),
      () => b.upstream.close(),
    );
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({
        backends: {
          pooled: {
            type: "openai",
            apiKey: "env:KEY_A",
            targets: [
              { id: "east", baseUrl: `${a.upstream.url}/v1`, weight: 2 },
              { id: "west", baseUrl: `${b.upstream.url}/v1`, apiKey: "env:KEY_B" },
            ],
          },
        },
        defaultBackend: "pooled",
      }),
    );
    const config = await loadConfig({
      env: { SWITCHYARD_HOME: home, KEY_A, KEY_B },
      flags: { port: 0 },
    });
    expect(config.keySources).toMatchObject({
      "backends.pooled.apiKey": "env:KEY_A",
      "backends.pooled.targets[1].apiKey": "env:KEY_B",
    });
    const server: RunningServer = await startServer({ config, version: "0.0.0-test" });
    cleanup.push(() => server.close(100));
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "client", maxRetries: 0 });
    let i = 0;
    while ((a.calls().length === 0 || b.calls().length === 0) && i < 40) {
      const completion = await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: `hi ${i++}` }],
      });
      expect(completion.choices[0]?.message.content).toContain("mock-openai says");
    }
    // Every request on each target carried that target's key, never the other's.
    expect(a.calls().length).toBeGreaterThan(0);
    expect(b.calls().length).toBeGreaterThan(0);
    expect([a.wrongKey, b.wrongKey]).toEqual([0, 0]);
    const pool = (await (await fetch(`${server.url}/pool`)).json()) as {
      backends: { pooled: { targets: Array<{ id: string; weight: number }> } };
    };
    expect(pool.backends.pooled.targets.map((t) => [t.id, t.weight])).toEqual([
      ["east", 2],
      ["west", 1],
    ]);
    const text = JSON.stringify(pool) + (await (await fetch(`${server.url}/status`)).text());
    expect(text).not.toContain(KEY_A);
    expect(text).not.toContain(KEY_B);
  });

  it("refuses a target weight of 0 and duplicate target ids, naming the field", async () => {
    const home = await mkdtemp(join(tmpdir(), "sy-pool-"));
    cleanup.push(() => rm(home, { recursive: true, force: true }));
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({
        backends: {
          pooled: {
            type: "openai",
            targets: [
              { id: "x", baseUrl: "http://127.0.0.1:9/v1", weight: 0 },
              { id: "x", baseUrl: "http://127.0.0.1:9/v1" },
            ],
          },
        },
      }),
    );
    const error = await loadConfig({ env: { SWITCHYARD_HOME: home } }).catch((e: unknown) => e);
    expect((error as Error).message).toContain("backends.pooled.targets[0].weight");
    expect((error as Error).message).toContain("backends.pooled.targets[1].id");
  });
});
