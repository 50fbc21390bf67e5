/**
 * Hostile input on `POST /v1/responses/input_tokens`: malformed JSON, wrong types, deep
 * nesting, an oversized body, a wrong content type or method all get an OpenAI-shaped error
 * with the right status, before any upstream is called, and change no stored state
 * (sessions, upstream traffic). Every backend kind that counts differently is tried.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ResponsesHarness, startResponsesHarness } from "./helpers/responses-harness.js";

let h: ResponsesHarness;
beforeAll(async () => {
  h = await startResponsesHarness();
});
afterAll(async () => {
  await h.close();
});

const PATH = "/v1/responses/input_tokens";

async function post(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.server.url}${PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers };
}

const upstreamCalls = () => h.openai.requests.length + h.anthropic.requests.length;
/** The conversations the proxy keeps (`bySource` counts lookups, as for count_tokens). */
const sessions = async () => {
  const status = (await (await fetch(`${h.server.url}/status`)).json()) as {
    sessions: { active: number; seen: number; recent: unknown[] };
  };
  const { active, seen, recent } = status.sessions;
  return JSON.stringify({ active, seen, recent });
};

/** Asserts an OpenAI error body (`{error: {message, type, param, code}}`) with `status`. */
async function expectOpenAIError(
  body: string | Uint8Array<ArrayBuffer>,
  status: number,
  param?: string,
  headers?: Record<string, string>,
) {
  const before = upstreamCalls();
  const res = await post(body, headers);
  expect(res.status, res.text.slice(0, 300)).toBe(status);
  const json = JSON.parse(res.text) as { error: Record<string, unknown>; type?: string };
  expect(json.type).toBeUndefined(); // not the Anthropic shape
  expect(json.error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
  expect(Object.keys(json.error).sort()).toEqual(["code", "message", "param", "type"]);
  if (param !== undefined) {
    expect(json.error.param).toBe(param);
    expect(json.error.message).toContain(param);
  }
  expect(res.text.length).toBeLessThan(1000);
  expect(upstreamCalls()).toBe(before);
}

const models = [
  "claude-sonnet-test", // anthropic: would call count_tokens
  "openai-native:gpt-x", // native: would call /v1/responses/input_tokens
  "openai-mock:gpt-x", // translated: would estimate
  "echo:x",
];

const wrongTypes: Array<[string, object]> = [
  ["model", { model: 5 }],
  ["model", { model: "" }],
  ["input", { input: 5 }],
  ["input", { input: { role: "user", content: "hi" } }],
  ["input[0].role", { input: [{ role: "robot", content: "hi" }] }],
  ["input[0].content", { input: [{ role: "user" }] }],
  ["input[0].content[0].type", { input: [{ role: "user", content: [{ type: "sticker" }] }] }],
  ["input[0].call_id", { input: [{ type: "function_call_output", output: "x" }] }],
  ["input[0].arguments", { input: [{ type: "function_call", call_id: "c", name: "f" }] }],
  ["instructions", { instructions: ["be brief"] }],
  ["temperature", { temperature: 99 }],
  ["tools", { tools: "x" }],
  ["tools[0].name", { tools: [{ type: "function" }] }],
  ["tool_choice", { tool_choice: 42 }],
  ["parallel_tool_calls", { parallel_tool_calls: "yes" }],
];

describe("hostile input on POST /v1/responses/input_tokens", () => {
  it.each(wrongTypes)(
    "wrong type for %s: 400 naming it, on every backend kind",
    async (param, patch) => {
      for (const model of models) {
        await expectOpenAIError(JSON.stringify({ model, input: "hi", ...patch }), 400, param);
      }
    },
  );

  it("malformed JSON, a non-object body and deep nesting: 400, never a crash", async () => {
    await expectOpenAIError('{"model": "echo:x", "input": ', 400);
    await expectOpenAIError("[1, 2, 3]", 400, "body");
    await expectOpenAIError("null", 400);
    const deep = `{"model":"claude-sonnet-test","input":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    await expectOpenAIError(deep, 400);
    await expectOpenAIError(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 400);
  });

  it("an oversized body: 413 in the OpenAI shape, nothing sent upstream", async () => {
    const huge = JSON.stringify({
      model: "claude-sonnet-test",
      input: "x".repeat(2 * 1024 * 1024),
    });
    await expectOpenAIError(huge, 413);
  });

  it("a wrong content type is a 415, a GET a 405 that allows POST", async () => {
    await expectOpenAIError(JSON.stringify({ model: "echo:x", input: "hi" }), 415, undefined, {
      "content-type": "text/plain",
    });
    const res = await fetch(`${h.server.url}${PATH}`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(((await res.json()) as { error: { type: string } }).error.type).toBeTypeOf("string");
  });

  it("an over-long session header is a 400; no refusal changes stored state", async () => {
    const before = await sessions();
    await expectOpenAIError(JSON.stringify({ model: "echo:x", input: "hi" }), 400, "x-session-id", {
      "x-session-id": "s".repeat(10_000),
    });
    for (const model of models) {
      await expectOpenAIError(JSON.stringify({ model, input: 5 }), 400, "input", {
        "x-session-id": "hostile-session",
      });
    }
    expect(await sessions()).toBe(before);
    // Still serving: a good request after all of that is counted.
    const ok = await post(JSON.stringify({ model: "echo:x", input: "hi" }));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toMatchObject({ object: "response.input_tokens" });
  });

  it("a valid count on every kind does not count as a conversation turn", async () => {
    const before = await sessions();
    for (const model of models) {
      const ok = await post(JSON.stringify({ model, input: "hi" }), { "x-session-id": "counting" });
      expect(ok.status, ok.text).toBe(200);
    }
    expect(await sessions()).toBe(before);
    // The measure works: the same body on /v1/responses is a turn of that conversation.
    await fetch(`${h.server.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-session-id": "counting" },
      body: JSON.stringify({ model: "echo:x", input: "hi" }),
    });
    expect(await sessions()).not.toBe(before);
  });
});
