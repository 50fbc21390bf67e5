import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "./helpers/harness.js";
import {
  getJson,
  KEY_A,
  KEY_B,
  type PoolHarness,
  startPoolHarness,
} from "./helpers/pool-harness.js";

let h: PoolHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const clientFor = (harness: PoolHarness) =>
  new OpenAI({ baseURL: `${harness.server.url}/v1`, apiKey: "client-key", maxRetries: 0 });

const ask = (client: OpenAI, content: string, headers?: Record<string, string>) =>
  client.chat.completions.create(
    { model: "gpt-pool", messages: [{ role: "user", content }] },
    headers === undefined ? undefined : { headers },
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("pooled openai backend, official OpenAI SDK", () => {
  it("fails over a 429 before the client sees it; the cooled target gets no traffic until its reset", async () => {
    h = await startPoolHarness("openai");
    const harness = h;
    const client = clientFor(harness);
    // 3 s leaves slack on a busy machine: everything below "cooling" must happen before it.
    harness.a.mode = { kind: "status", status: 429, headers: { "retry-after": "3" } };

    // Distinct conversations bind to targets by hash: go until one of them lands on `a`.
    let n = 0;
    while (harness.a.calls().length === 0 && n < 40) {
      const completion = await ask(client, `question ${n}`);
      expect(completion.choices[0]?.message.content).toBe(`mock-openai says: question ${n}`);
      n += 1;
    }
    expect(harness.a.calls()).toHaveLength(1);
    const pool = await getJson(harness.server, "/pool");
    const until = pool.backends.pooled.targets[0].cooldownUntil as number;
    expect(until).toBeGreaterThan(Date.now() + 1000);
    await waitFor(() => harness.apiLogs().length === n);
    const failedOver = harness.apiLogs().filter((e) => e.failovers === 1);
    expect(failedOver).toHaveLength(1);
    expect(failedOver[0]).toMatchObject({ status: 200, target: "b", backend: "pooled" });

    // While `a` cools down, every request (even one whose hash prefers `a`) goes to `b`.
    const status = await getJson(harness.server, "/status");
    const a = status.pool.pooled.targets.find((t: { id: string }) => t.id === "a");
    expect(a).toMatchObject({ breaker: "closed", rateLimited: 1, available: false });
    expect(typeof a.cooldownUntil).toBe("string");
    for (let i = 0; i < 8; i++) await ask(client, `cooling ${i}`);
    expect(harness.a.calls()).toHaveLength(1);
    expect(harness.b.calls()).toHaveLength(n + 8);
    expect(Date.now()).toBeLessThan(until);

    // After the reset `a` takes new conversations again.
    harness.a.mode = { kind: "ok" };
    await sleep(Math.max(0, until - Date.now()) + 30);
    let m = 0;
    while (harness.a.calls().length === 1 && m < 40) {
      await ask(client, `after reset ${m}`);
      m += 1;
    }
    expect(harness.a.calls().length).toBe(2);
    expect(harness.a.wrongKey + harness.b.wrongKey).toBe(0);
  });

  it("shifts traffic away from a target whose headers report low remaining requests", async () => {
    h = await startPoolHarness("openai");
    const harness = h;
    const client = clientFor(harness);
    harness.a.mode = {
      kind: "ok",
      headers: {
        "x-ratelimit-limit-requests": "100",
        "x-ratelimit-remaining-requests": "1",
        "x-ratelimit-reset-requests": "1m",
      },
    };
    let n = 0;
    while (harness.a.calls().length === 0 && n < 40) {
      await ask(client, `probe ${n}`);
      n += 1;
    }
    expect(harness.a.calls()).toHaveLength(1);
    const before = harness.b.calls().length;
    for (let i = 0; i < 12; i++) await ask(client, `later ${i}`);
    // The conversation that was on `a` moves too: it is below the 10% floor.
    await ask(client, `probe ${n - 1}`);
    expect(harness.a.calls()).toHaveLength(1);
    expect(harness.b.calls()).toHaveLength(before + 13);
    const pool = await getJson(harness.server, "/pool");
    const a = pool.backends.pooled.targets[0];
    expect(a.id).toBe("a");
    expect(a.headroom).toBeLessThan(0.1);
    expect(a.dimensions.requests).toMatchObject({ limit: 100, remaining: 1, source: "headers" });
  });

  it("keeps a conversation on one target across turns (x-session-id, or system + first message)", async () => {
    h = await startPoolHarness("openai");
    const harness = h;
    const client = clientFor(harness);
    const turns = (first: string) => [
      [
        { role: "system" as const, content: "Be terse." },
        { role: "user" as const, content: first },
      ],
      [
        { role: "system" as const, content: "Be terse." },
        { role: "user" as const, content: first },
        { role: "assistant" as const, content: "ok" },
        { role: "user" as const, content: "and then?" },
      ],
      [
        { role: "system" as const, content: "Be terse." },
        { role: "user" as const, content: first },
        { role: "assistant" as const, content: "ok" },
        { role: "user" as const, content: "and then?" },
        { role: "assistant" as const, content: "done" },
        { role: "user" as const, content: "thanks" },
      ],
    ];
    // Eight conversations, turns interleaved: half by header (bodies differ every turn), half by content.
    const conversations = Array.from({ length: 8 }, (_, i) => ({
      name: `conv-${i}`,
      header: i % 2 === 0 ? { "x-session-id": `user-secret-session-${i}` } : undefined,
    }));
    for (let turn = 0; turn < 3; turn++) {
      for (const c of conversations) {
        const messages = c.header
          ? [{ role: "user" as const, content: `${c.name} turn ${turn}` }]
          : turns(`topic of ${c.name}`)[turn]!;
        await client.chat.completions.create(
          { model: "gpt-pool", messages },
          c.header === undefined ? undefined : { headers: c.header },
        );
      }
    }
    await waitFor(() => harness.apiLogs().length === 24);
    const logs = harness.apiLogs();
    const byConversation = conversations.map((_, i) => logs.filter((_, j) => j % 8 === i));
    for (const entries of byConversation) {
      expect(new Set(entries.map((e) => e.target)).size).toBe(1);
      expect(new Set(entries.map((e) => e.sessionKey)).size).toBe(1);
      expect(entries[0]?.sessionKey).toMatch(/^[0-9a-f]{12}$/);
    }
    // Both targets served some conversations; raw session ids are never logged or shown.
    expect(new Set(logs.map((e) => e.target))).toEqual(new Set(["a", "b"]));
    expect(JSON.stringify(logs)).not.toContain("user-secret-session");
    const status = await getJson(harness.server, "/status");
    expect(status.sessions.active).toBe(8);
    expect(status.sessions.bySource).toMatchObject({ header: 12, "content-hash": 12 });
    expect(status.sessions.recent[0]).toMatchObject({ requests: 3, backend: "pooled" });
    expect(JSON.stringify(status)).not.toContain("user-secret-session");
  });

  it("answers 429 with Retry-After in OpenAI form when every target is rate limited", async () => {
    h = await startPoolHarness("openai");
    const harness = h;
    const client = clientFor(harness);
    harness.a.mode = { kind: "status", status: 429, headers: { "retry-after": "2" } };
    harness.b.mode = { kind: "status", status: 429, headers: { "retry-after": "2" } };
    const error = await ask(client, "anyone?").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(429);
    expect(apiError.headers?.get("retry-after")).toBe("2");
    expect(apiError.code).toBe("upstream_rate_limited");
    expect(apiError.message).toContain("every target of backend pooled is rate limited");
    expect([harness.a.calls().length, harness.b.calls().length]).toEqual([1, 1]);
    await waitFor(() => harness.apiLogs().length === 1);
    expect(harness.apiLogs()[0]).toMatchObject({ status: 429, error: "upstream_rate_limited" });
  });

  it("passes a non-retryable status on as is, without failing over", async () => {
    h = await startPoolHarness("openai");
    const harness = h;
    const client = clientFor(harness);
    harness.a.mode = { kind: "status", status: 400 };
    harness.b.mode = { kind: "status", status: 400 };
    const error = await ask(client, "bad").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(harness.a.calls().length + harness.b.calls().length).toBe(1);
  });

  it("shows targets in /status and /pool without a key or a URL", async () => {
    h = await startPoolHarness("openai");
    const harness = h;
    await ask(clientFor(harness), "hello");
    const status = await getJson(harness.server, "/status");
    expect(status.pool.pooled.targets.map((t: { id: string }) => t.id)).toEqual(["a", "b"]);
    expect(status.pool.pooled.targets[0]).toMatchObject({
      weight: 1,
      headroom: 1,
      breaker: "closed",
      cooldownUntil: null,
      inFlight: 0,
    });
    const pool = await getJson(harness.server, "/pool");
    expect(Object.keys(pool.backends)).toEqual(["pooled"]);
    expect(pool.backends.pooled).toMatchObject({ bindings: 1, queued: 0 });
    expect(pool.backends.pooled.targets[1].breaker).toMatchObject({ state: "closed" });
    const text = JSON.stringify(pool) + JSON.stringify(status.pool);
    for (const secret of [KEY_A, KEY_B, harness.a.upstream.url, harness.b.upstream.url]) {
      expect(text).not.toContain(secret);
    }
  });
});
