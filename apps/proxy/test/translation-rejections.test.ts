/**
 * A request a backend refuses while translating it (after validation passed, before anything
 * goes upstream) is the caller's mistake, like one that fails validation: a 400
 * `bad_request` in the caller's protocol, and no usage record, no session, no backend error,
 * no pool outcome, no "unexpected error" alarm.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, waitFor } from "./helpers/harness.js";
import { usageRecordsOnFile } from "./helpers/usage-records.js";

let home: string;
let h: Harness;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "switchyard-rejections-"));
  h = await startHarness({ home, configPath: join(home, "config.json") });
});

afterAll(async () => {
  await h?.close();
  await rm(home, { recursive: true, force: true });
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${h.server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, retry: res.headers.get("x-should-retry"), body: await res.json() };
};

const get = async <T>(path: string) => (await (await fetch(`${h.server.url}${path}`)).json()) as T;

interface Status {
  sessions: { active: number; seen: number; bySource: Record<string, number> };
  requests: { byBackend: Record<string, Record<string, number>> };
}
type Pool = { backends: Record<string, { targets: Array<{ counts: Record<string, number> }> }> };

/** Requests each backend can only refuse, with the parameter the OpenAI-shaped answer names. */
const openAIShaped = [
  {
    what: "previous_response_id to Anthropic",
    path: "/v1/responses",
    body: { model: "claude-x", input: "x", previous_response_id: "resp_x" },
    param: "previous_response_id",
  },
  {
    what: "a web_search tool_choice to Anthropic",
    path: "/v1/responses",
    body: {
      model: "claude-x",
      input: "x",
      tools: [{ type: "web_search" }],
      tool_choice: { type: "web_search" },
    },
    param: "tool_choice",
  },
  {
    what: "background: true to Anthropic",
    path: "/v1/responses",
    body: { model: "claude-x", input: "x", background: true },
    param: "background",
  },
  {
    what: "an unknown input item to Anthropic",
    path: "/v1/responses",
    body: { model: "claude-x", input: [{ type: "bogus_item" }] },
    param: "input[0].type",
  },
  {
    what: "Chat n: 3 to Anthropic",
    path: "/v1/chat/completions",
    body: { model: "claude-x", n: 3, messages: [{ role: "user", content: "hi" }] },
    param: "n",
  },
  {
    what: "previous_response_id counted by Anthropic (no usage side at all)",
    path: "/v1/responses/input_tokens",
    body: { model: "claude-x", input: "x", previous_response_id: "resp_x" },
    param: "previous_response_id",
  },
];

describe("a request refused during translation", () => {
  it("is a 400 bad_request in the caller's protocol, and nothing reaches an upstream", async () => {
    for (const c of openAIShaped) {
      const answer = await post(c.path, c.body);
      expect(answer.status, c.what).toBe(400);
      expect(answer.retry, c.what).toBe("false");
      expect(answer.body, c.what).toEqual({
        error: {
          message: expect.any(String),
          type: "invalid_request_error",
          param: c.param,
          code: "bad_request",
        },
      });
    }
    const anthropic = await post("/v1/messages", {
      model: "gpt-x",
      max_tokens: 5,
      messages: [{ role: "user", content: [{ type: "bogus" }] }],
    });
    expect(anthropic.status).toBe(400);
    expect(anthropic.body).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining('"bogus"') },
    });
    expect(h.anthropic.requests).toHaveLength(0);
    expect(h.openai.requests).toHaveLength(0);
  });

  it("is logged as bad_request, naming no backend or session, with no alarm", async () => {
    const count = openAIShaped.length + 1;
    await waitFor(() => h.logs.length >= count);
    expect(h.logs).toHaveLength(count);
    for (const entry of h.logs) {
      expect(entry).toMatchObject({ status: 400, error: "bad_request" });
      expect(entry.model).toMatch(/^(claude|gpt)-x$/);
      expect(entry.backend).toBeUndefined();
      expect(entry.route).toBeUndefined();
      expect(entry.sessionKey).toBeUndefined();
      expect(entry.costUsd).toBeUndefined();
    }
    expect(h.loggerLines.filter((line) => line.includes("unexpected"))).toEqual([]);
  });

  it("leaves no usage record, session, analytics error, backend error or pool outcome", async () => {
    const before = await get<Status>("/status");
    expect(before.sessions).toMatchObject({ active: 0, seen: 0, bySource: {} });
    // One request that goes through, as the yardstick: it alone is on record.
    const ok = await post("/v1/responses", { model: "claude-x", input: "x" });
    expect(ok.status).toBe(200);
    const { records } = await usageRecordsOnFile(home, 1);
    expect(records.map((r) => [r.backend, r.status])).toEqual([["anthropic-mock", 200]]);

    const after = await get<Status>("/status");
    // The same body would have been a content-hash session: counted once, for the success.
    expect(after.sessions).toMatchObject({ active: 1, seen: 1, bySource: { "content-hash": 1 } });
    expect(after.requests.byBackend).toEqual({
      "(none)": { "400": openAIShaped.length + 1 },
      "anthropic-mock": { "200": 1 },
    });
    const pool = await get<Pool>("/pool");
    const counts = (backend: string) => pool.backends[backend]?.targets[0]?.counts;
    expect(counts("anthropic-mock")).toEqual({
      attempts: 1,
      successes: 1,
      failures: 0,
      rateLimited: 0,
      serverErrors: 0,
      connectionErrors: 0,
    });
    expect(counts("openai-mock")).toMatchObject({ attempts: 0, successes: 0, failures: 0 });

    const analytics = await get<{ totals: unknown }>("/analytics");
    expect(analytics.totals).toMatchObject({ requests: 1, errors: 0 });
  });
});
