/**
 * The usage side (cost pricing, `GET /doctor`) lives as long as the server, but must follow
 * the config a live reload swapped in: a local backend added by a reload is free like one
 * configured at start, and the doctor reports the config that is serving, not the first one.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../src/config/types.js";
import { type RunningServer, startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";
import { type MockUpstream, startMockUpstream } from "./helpers/mock-upstream.js";
import { usageRecordsOnFile } from "./helpers/usage-records.js";

let home: string;
let upstream: MockUpstream;
let server: RunningServer;
let next: ResolvedConfig;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "sy-reload-usage-"));
  upstream = await startMockUpstream(async (request, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "c1",
        object: "chat.completion",
        created: 1,
        model: String(request.body?.model),
        choices: [
          { index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" },
        ],
        usage: { prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 },
      }),
    );
  });
  const first = testConfig({ home, configPath: join(home, "config.json") });
  // The reload brings an Ollama-like server on this machine, routed for gpt-4o-mini (a model
  // the built-in price table charges for on paid backends).
  next = {
    ...first,
    backends: {
      ...first.backends,
      "local-llm": { type: "openai", baseUrl: `${upstream.url}/v1` },
    },
    routes: [{ match: "gpt-4o-mini", backend: "local-llm" }],
  };
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  server = await startServer({
    config: first,
    version: "0.0.0-test",
    logger: quiet,
    reload: { load: async () => next, watch: false },
  });
});

afterAll(async () => {
  await server?.close(100);
  await upstream?.close();
  await rm(home, { recursive: true, force: true });
});

describe("after a live reload", () => {
  it("prices a local backend the reload added as free, like one configured at start", async () => {
    const result = await server.reload();
    expect(result.ok).toBe(true);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "x", maxRetries: 0 });
    const answer = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(answer.choices[0]?.message.content).toBe("ok");
    const { records } = await usageRecordsOnFile(home, 1);
    expect(records[0]?.backend).toBe("local-llm");
    // Priced from the built-in table (paid) this would be $0.00075.
    expect(records[0]?.costUsd ?? 0).toBe(0);
  });

  it("GET /doctor reports the config that is serving", async () => {
    const res = await fetch(`${server.url}/doctor`);
    expect(res.status).toBe(200);
    const { text } = (await res.json()) as { text: string };
    expect(text).toContain("local-llm");
  });
});
