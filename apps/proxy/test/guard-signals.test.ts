import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import {
  type GuardRig,
  getJson,
  INPUT_TOKENS,
  OUTPUT_TOKENS,
  REQUEST_COST,
  startGuardRig,
} from "./helpers/guard-upstreams.js";
import { usageRecordsOnFile } from "./helpers/usage-records.js";

let rig: GuardRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const openai = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: "x", maxRetries: 0 });
const chat = (client: OpenAI) =>
  client.chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "hi" }],
  });

async function statusOf(promise: Promise<unknown>): Promise<{ status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status?: number; message: string };
  }
  return { status: 200, message: "" };
}

/** Reads `GET /events` until `done(text)` holds. */
async function readEvents(url: string, done: (text: string) => boolean, abort: AbortSignal) {
  const res = await fetch(`${url}/events`, { signal: abort });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return text;
}

describe("upstream billing signals", () => {
  it("a 402 from the upstream halts that backend at once; other backends keep serving", async () => {
    rig = await startGuardRig();
    const client = openai(rig.server.url);
    expect((await statusOf(chat(client))).status).toBe(200);
    rig.state.mode = "payment-required";
    expect((await statusOf(chat(client))).status).toBe(402);
    rig.state.mode = "ok";
    const refused = await statusOf(chat(client));
    expect(refused.status).toBe(503);
    expect(refused.message).toContain("402");
    expect(rig.openai.requests).toHaveLength(2);

    const anthropic = new Anthropic({ baseURL: rig.server.url, apiKey: "x", maxRetries: 0 });
    const served = await anthropic.messages.create({
      model: "claude-test",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(served.content[0]).toMatchObject({ text: "hi" });

    const guard = await getJson(`${rig.server.url}/guard`);
    expect(guard.state).toBe("halted");
    expect((guard.halts as Array<{ scope: object; signal: object }>)[0]).toMatchObject({
      scope: { backend: "oa" },
      signal: { kind: "payment-required", backend: "oa" },
    });
    const logged = (await getJson(`${rig.server.url}/requests`)).requests as Array<{
      status: number;
      billingSignals?: string[];
    }>;
    expect(logged.find((r) => r.status === 402)?.billingSignals).toEqual(["payment-required"]);
    const { records } = await usageRecordsOnFile(rig.home, 4);
    expect(records.map((r) => [r.backend, r.status, r.billing ?? []])).toEqual([
      ["oa", 200, []],
      ["oa", 402, ["payment-required"]],
      ["oa", 503, []],
      ["an", 200, []],
    ]);
  });

  it("a stream already running when the guard halts finishes and is counted", async () => {
    rig = await startGuardRig();
    rig.state.gapMs = 60;
    const client = openai(rig.server.url);
    const stream = await client.chat.completions.create({
      model: "gpt-test",
      stream: true,
      messages: [{ role: "user", content: "long" }],
    });
    const chunks: unknown[] = [];
    const drained = (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })();
    await new Promise((r) => setTimeout(r, 30));
    rig.state.mode = "payment-required";
    rig.state.gapMs = 0;
    expect((await statusOf(chat(client))).status).toBe(402);
    expect((await getJson(`${rig.server.url}/guard`)).state).toBe("halted");
    await drained;
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const { records } = await usageRecordsOnFile(rig.home, 2);
    expect(records.map((r) => [r.status, r.outputTokens])).toEqual([
      [402, 0],
      [200, OUTPUT_TOKENS],
    ]);
  });

  it("an OpenAI insufficient_quota 429 halts too", async () => {
    rig = await startGuardRig();
    rig.state.mode = "insufficient-quota";
    const client = openai(rig.server.url);
    expect((await statusOf(chat(client))).status).toBe(429);
    rig.state.mode = "ok";
    expect((await statusOf(chat(client))).status).toBe(503);
  });

  it("a 2xx answer billed as overage halts the backend, passed through or translated", async () => {
    for (const translated of [false, true]) {
      rig = await startGuardRig();
      rig.state.mode = "overage";
      const first = translated
        ? await openai(rig.server.url).chat.completions.create({
            model: "claude-test",
            messages: [{ role: "user", content: "hi" }],
          })
        : await new Anthropic({
            baseURL: rig.server.url,
            apiKey: "x",
            maxRetries: 0,
          }).messages.create({
            model: "claude-test",
            max_tokens: 50,
            messages: [{ role: "user", content: "hi" }],
          });
      expect(first).toBeDefined(); // the overage-billed answer itself is delivered
      const guard = await getJson(`${rig.server.url}/guard`);
      expect(guard.state).toBe("halted");
      expect((guard.halts as Array<{ signal: object }>)[0]?.signal).toMatchObject({
        kind: "overage-billed",
        backend: "an",
      });
      const { records } = await usageRecordsOnFile(rig.home, 1);
      expect(records[0]?.billing).toEqual(["overage-billed"]);
      await rig.close();
      rig = undefined;
    }
  });

  it("warn mode keeps serving past the budget and announces it on GET /events", async () => {
    rig = await startGuardRig({
      budgets: [{ name: "warn-me", limitUsd: 0.003, period: "day" }],
      overageGuard: { enabled: true, behavior: "warn", cooldownMs: 0, notifyOs: false },
    });
    const abort = new AbortController();
    const events = readEvents(rig.server.url, (t) => t.includes("event: warn"), abort.signal);
    await new Promise((r) => setTimeout(r, 50)); // the stream is open before traffic starts
    const client = openai(rig.server.url);
    for (let i = 0; i < 4; i++) expect((await statusOf(chat(client))).status).toBe(200);
    const text = await events;
    abort.abort();
    expect(text).toMatch(/^: switchyard events\n\n/);
    const frames = text.split("\n\n").filter((f) => f.startsWith("event: "));
    const types = frames.map((f) => /^event: (\w+)/.exec(f)?.[1]);
    expect(types.filter((t) => t === "spend").length).toBeGreaterThanOrEqual(2);
    const warn = frames.find((f) => f.startsWith("event: warn\n"));
    const data = JSON.parse((warn ?? "").split("\ndata: ")[1] ?? "{}");
    expect(data).toMatchObject({ type: "warn", budget: { name: "warn-me" } });
    expect((await getJson(`${rig.server.url}/guard`)).state).toBe("ok");
  });

  it("counts a streamed response from its final usage, in the usage log and GET /analytics", async () => {
    rig = await startGuardRig();
    const anthropic = new Anthropic({ baseURL: rig.server.url, apiKey: "x", maxRetries: 0 });
    const stream = anthropic.messages.stream(
      { model: "claude-test", max_tokens: 50, messages: [{ role: "user", content: "hi" }] },
      { headers: { "x-session-id": "conversation-7" } },
    );
    const final = await stream.finalMessage();
    expect(final.usage.output_tokens).toBe(OUTPUT_TOKENS);
    const streamed = await openai(rig.server.url).chat.completions.create(
      { model: "gpt-test", stream: true, messages: [{ role: "user", content: "hi" }] },
      { headers: { "x-session-id": "conversation-7" } },
    );
    for await (const _ of streamed) {
      // drain
    }

    const { records } = await usageRecordsOnFile(rig.home, 2);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      backend: "an",
      target: "an#0",
      model: "claude-test",
      inputTokens: INPUT_TOKENS,
      outputTokens: OUTPUT_TOKENS,
      status: 200,
    });
    expect(records[0]?.costUsd).toBeCloseTo(REQUEST_COST, 9);
    expect(records[1]).toMatchObject({ backend: "oa", outputTokens: OUTPUT_TOKENS, status: 200 });
    // One conversation across both requests, stored only as a short hash.
    const session = records[0]?.session ?? "";
    expect(session).toMatch(/^[0-9a-f]{16}$/);
    expect(records[1]?.session).toBe(session);
    expect(JSON.stringify(records)).not.toContain("conversation-7");

    const byBackend = await getJson(`${rig.server.url}/analytics?since=1h&by=backend`);
    expect(byBackend.by).toBe("backend");
    expect((byBackend.rows as Array<{ key: string }>).map((r) => r.key).sort()).toEqual([
      "an",
      "oa",
    ]);
    expect(byBackend.totals).toMatchObject({
      requests: 2,
      inputTokens: 2 * INPUT_TOKENS,
      outputTokens: 2 * OUTPUT_TOKENS,
    });
    expect((byBackend.totals as { costUsd: number }).costUsd).toBeCloseTo(2 * REQUEST_COST, 9);
    const bySession = await getJson(`${rig.server.url}/analytics?by=session`);
    expect(bySession.rows).toEqual([expect.objectContaining({ key: session, requests: 2 })]);
    const bad = await fetch(`${rig.server.url}/analytics?by=colour`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe("by");
  });
});
