import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicBodies, encode, encoding, openAIBodies } from "./helpers/fuzz-bodies.js";
import { type GuardRig, getJson, startGuardRig } from "./helpers/guard-upstreams.js";
import { sendJson } from "./helpers/mock-upstream.js";

/**
 * Fuzz suite (issue 13): hostile request bodies of both dialects on every path (pass-through,
 * translated, echo; streaming or not; count_tokens) against the real server with local mock
 * upstreams. Properties: no 5xx from switchyard, every answer in the caller's shape, a refused
 * request changes no spend, session or upstream state, the proxy keeps serving, RSS bounded.
 * `pnpm fuzz` runs 3000 cases (`FUZZ_RUNS=N pnpm fuzz` for more, `FUZZ_SEED` to replay a
 * failure); the default 80 keeps `pnpm test` to seconds.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 80);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

let rig: GuardRig;
beforeAll(async () => {
  rig = await startGuardRig({
    budgets: [{ name: "fuzz", limitUsd: 1_000_000, period: "day" }],
    maxBodyBytes: 256 * 1024,
  });
  // The Anthropic mock answers every path with a message; count_tokens gets a count.
  const messages = rig.anthropic.handler;
  rig.anthropic.handler = (request, res) =>
    request.path.endsWith("/count_tokens")
      ? sendJson(res, 200, { input_tokens: 7 })
      : messages(request, res);
});
afterAll(async () => {
  await rig?.close();
});

type Dialect = "openai" | "anthropic";
interface Target {
  path: string;
  dialect: Dialect;
  model: string;
}
const targets: Target[] = [
  ...["gpt-test", "claude-test", "echo:fuzz"].map((model) => ({
    path: "/v1/chat/completions",
    dialect: "openai" as const,
    model,
  })),
  ...["/v1/messages", "/v1/messages/count_tokens"].flatMap((path) =>
    ["claude-test", "gpt-test", "echo:fuzz"].map((model) => ({
      path,
      dialect: "anthropic" as const,
      model,
    })),
  ),
];

/** What a refused request must leave alone. */
async function state() {
  const guard = await getJson(`${rig.server.url}/guard`);
  const status = await getJson(`${rig.server.url}/status`);
  return {
    spent: (guard.budgets as Array<{ spentUsd: number }>)[0]?.spentUsd,
    sessions: (status.sessions as { seen: number }).seen,
    // POSTs only: a background `GET /models` refresh is not a request's doing.
    upstream: [...rig.openai.requests, ...rig.anthropic.requests].filter((r) => r.method === "POST")
      .length,
  };
}

/** The state once a served request's bookkeeping (recorded after its response ended) landed. */
async function settled() {
  let previous = await state();
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const now = await state();
    if (JSON.stringify(now) === JSON.stringify(previous)) return now;
    previous = now;
  }
  return previous;
}

/** Checks the answer is in the caller's protocol: an error body, a result, or an SSE stream. */
function expectCallerShape(target: Target, status: number, contentType: string, text: string) {
  if (contentType.startsWith("text/event-stream")) {
    expect(status).toBe(200);
    const data = text
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).trim());
    expect(data.length).toBeGreaterThan(0);
    for (const payload of data) {
      if (payload === "[DONE]" && target.dialect === "openai") continue;
      const event = JSON.parse(payload) as Record<string, unknown>;
      if (target.dialect === "anthropic") expect(typeof event.type).toBe("string");
      else expect(event.error !== undefined || event.object === "chat.completion.chunk").toBe(true);
    }
    return;
  }
  const body = JSON.parse(text) as {
    type?: string;
    object?: string;
    input_tokens?: unknown;
    error?: { message?: unknown; type?: unknown };
  };
  if (status >= 400) {
    if (target.dialect === "openai") {
      expect(typeof body.error?.message).toBe("string");
      expect(typeof body.error?.type).toBe("string");
    } else {
      expect(body.type).toBe("error");
      expect(typeof body.error?.type).toBe("string");
      expect(typeof body.error?.message).toBe("string");
    }
    expect(text.length).toBeLessThan(2000);
    return;
  }
  if (target.path.endsWith("count_tokens")) expect(typeof body.input_tokens).toBe("number");
  else if (target.dialect === "anthropic") expect(body.type).toBe("message");
  else expect(body.object).toBe("chat.completion");
}

describe("fuzzed requests on every path", () => {
  it("never 5xx, always the caller's shape, refused requests change nothing, still serving", async () => {
    const rssBefore = process.memoryUsage().rss;
    const seen = { ok: 0, refused: 0 };
    // The state after the previous request: a refused request must leave it as it was.
    let last = await state();
    // A failed run (and fast-check's shrinking after it) must not compare against stale state.
    let dirty = false;
    const body = (dialect: Dialect) => (dialect === "openai" ? openAIBodies : anthropicBodies);
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...targets)
          .chain((target) =>
            fc.tuple(
              fc.constant(target),
              body(target.dialect),
              encoding,
              fc.double({ min: 0, max: 1, noNaN: true }),
            ),
          ),
        async ([target, fields, how, cut]) => {
          if (dirty) last = await settled();
          dirty = true;
          const res = await fetch(`${rig.server.url}${target.path}`, {
            method: "POST",
            headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
            body: encode({ model: target.model, ...fields }, how, cut),
          });
          const text = await res.text();
          expect(res.status, text.slice(0, 300)).toBeLessThan(500);
          expectCallerShape(target, res.status, res.headers.get("content-type") ?? "", text);
          if (res.status >= 400) {
            seen.refused++;
            const before = last;
            last = await state();
            expect(last).toEqual(before);
          } else {
            seen.ok++;
            last = await settled();
          }
          dirty = false;
        },
      ),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    // Both outcomes happen: the generator is not only producing garbage or only valid bodies.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    if (RUNS > 80) console.log(`fuzz: ${seen.ok} served, ${seen.refused} refused`);
    const health = await fetch(`${rig.server.url}/health`);
    expect(health.status).toBe(200);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
  }, 600_000);
});
