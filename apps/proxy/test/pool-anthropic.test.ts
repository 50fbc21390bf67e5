import Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "./helpers/harness.js";
import { getJson, type PoolHarness, startPoolHarness } from "./helpers/pool-harness.js";

let h: PoolHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const clientFor = (harness: PoolHarness) =>
  new Anthropic({ baseURL: harness.server.url, apiKey: "client-key", maxRetries: 0 });

/** Sends distinct conversations until `done()` holds; returns how many were sent. */
async function until(done: () => boolean, send: (i: number) => Promise<unknown>) {
  let i = 0;
  while (!done() && i < 40) await send(i++);
  return i;
}

describe("pooled anthropic backend, official Anthropic SDK", () => {
  it("fails over a 529 and a 429 to the other target; streams arrive whole", async () => {
    h = await startPoolHarness("anthropic");
    const harness = h;
    const client = clientFor(harness);
    harness.a.mode = { kind: "status", status: 529, headers: { "retry-after-ms": "200" } };
    const texts: string[] = [];
    const n = await until(
      () => harness.a.calls().length > 0,
      async (i) => {
        const stream = client.messages.stream({
          model: "claude-pool",
          max_tokens: 50,
          messages: [{ role: "user", content: `stream ${i}` }],
        });
        const message = await stream.finalMessage();
        texts.push(message.content.map((b) => (b.type === "text" ? b.text : "")).join(""));
      },
    );
    expect(texts).toEqual(Array.from({ length: n }, (_, i) => `mock-anthropic says: stream ${i}`));
    expect(harness.a.calls()).toHaveLength(1);
    await waitFor(() => harness.apiLogs().length === n);
    expect(harness.apiLogs().filter((e) => e.failovers === 1)).toEqual([
      expect.objectContaining({ status: 200, target: "b", stream: true }),
    ]);

    // Once `a` is back, a 429 on `b` fails over to `a`.
    harness.a.mode = { kind: "ok" };
    for (let i = 0; i < 100; i++) {
      const pool = await getJson(harness.server, "/pool");
      if (pool.backends.pooled.targets[0].available === true) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    harness.b.mode = { kind: "status", status: 429, headers: { "retry-after-ms": "300" } };
    const m = await until(
      () => harness.b.calls().length > n,
      (i) =>
        client.messages.create({
          model: "claude-pool",
          max_tokens: 50,
          messages: [{ role: "user", content: `later ${i}` }],
        }),
    );
    expect(m).toBeGreaterThan(0);
    await waitFor(() => harness.apiLogs().length === n + m);
    const last = harness.apiLogs().at(-1);
    expect(last).toMatchObject({ status: 200, target: "a", failovers: 1 });
  });

  it("answers 429 with retry-after in Anthropic form when every target is rate limited", async () => {
    h = await startPoolHarness("anthropic");
    const harness = h;
    harness.a.mode = { kind: "status", status: 429, headers: { "retry-after": "3" } };
    harness.b.mode = { kind: "status", status: 429, headers: { "retry-after": "1" } };
    const error = await clientFor(harness)
      .messages.create({
        model: "claude-pool",
        max_tokens: 50,
        messages: [{ role: "user", content: "anyone?" }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(429);
    // The earliest target back (`b`, 1 s) decides.
    expect(apiError.headers?.get("retry-after")).toBe("1");
    expect(apiError.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    expect([harness.a.calls().length, harness.b.calls().length]).toEqual([1, 1]);
  });

  it("passes the last server error on when every target fails with 5xx", async () => {
    h = await startPoolHarness("anthropic");
    const harness = h;
    harness.a.mode = { kind: "status", status: 503 };
    harness.b.mode = { kind: "status", status: 503 };
    const error = await clientFor(harness)
      .messages.create({
        model: "claude-pool",
        max_tokens: 50,
        messages: [{ role: "user", content: "down?" }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
    expect((error as Error).message).toContain("kaput");
    await waitFor(() => harness.apiLogs().length === 1);
    expect(harness.apiLogs()[0]).toMatchObject({ status: 503, error: "upstream_error" });
  });

  it("keeps a conversation keyed by metadata.user_id on one target and never logs the id", async () => {
    h = await startPoolHarness("anthropic");
    const harness = h;
    const client = clientFor(harness);
    for (let turn = 0; turn < 3; turn++) {
      for (let user = 0; user < 6; user++) {
        await client.messages.create({
          model: "claude-pool",
          max_tokens: 50,
          metadata: { user_id: `private-user-${user}` },
          messages: [{ role: "user", content: `turn ${turn} of ${user}` }],
        });
      }
    }
    await waitFor(() => harness.apiLogs().length === 18);
    const logs = harness.apiLogs();
    for (let user = 0; user < 6; user++) {
      const mine = logs.filter((_, j) => j % 6 === user);
      expect(new Set(mine.map((e) => e.target)).size).toBe(1);
      expect(new Set(mine.map((e) => e.sessionKey)).size).toBe(1);
    }
    expect(JSON.stringify(logs)).not.toContain("private-user");
  });
});
