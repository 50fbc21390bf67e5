import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, waitFor } from "./helpers/harness.js";

// A full GC on demand, so what the test measures is what is kept, not garbage not yet collected.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Issue 13 items 1-4: bad input is refused with a 400 in the caller's shape, before any upstream call. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: 32 * 1024 * 1024 });
});
afterAll(async () => {
  await h.close();
});

const paths = {
  chat: "/v1/chat/completions",
  messages: "/v1/messages",
  count: "/v1/messages/count_tokens",
} as const;

async function post(
  path: string,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${h.server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const text = await res.text();
  const json = JSON.parse(text) as { type?: string; error: { message: string; type: string } };
  return { status: res.status, text, json };
}

/** Asserts a 400 in the caller's shape that names `param`, and that no upstream was called. */
async function expectRefused(
  path: string,
  body: string | Uint8Array<ArrayBuffer>,
  param: string | null,
  headers?: Record<string, string>,
) {
  const before = h.openai.requests.length + h.anthropic.requests.length;
  const res = await post(path, body, headers);
  expect(res.status, res.text.slice(0, 300)).toBe(400);
  if (path === paths.chat) {
    expect(res.json.error).toMatchObject({ type: "invalid_request_error", param });
  } else {
    expect(res.json).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  }
  const message = res.json.error.message;
  if (param !== null) expect(message).toContain(param);
  expect(res.text.length).toBeLessThan(1000);
  expect(h.openai.requests.length + h.anthropic.requests.length).toBe(before);
  return message as string;
}

const user = [{ role: "user", content: "hi" }];
const chat = (model: string, extra: object = {}) =>
  JSON.stringify({ model, messages: user, ...extra });
const msg = (model: string, extra: object = {}) =>
  JSON.stringify({ model, max_tokens: 64, messages: user, ...extra });

describe("1. client strings that are logged, stored, hashed or echoed are bounded", () => {
  it("14 requests with 8 MiB model strings: 400 naming model, nothing big kept or logged", async () => {
    const model = "m".repeat(8 * 1024 * 1024);
    const bodies = [chat(model), msg(model)];
    const logsBefore = h.logs.length;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 14; i++) {
      const path = i % 2 === 0 ? paths.chat : paths.messages;
      await expectRefused(path, bodies[i % 2] as string, "model");
    }
    await waitFor(() => h.logs.length >= logsBefore + 14);
    const logged = JSON.stringify(h.logs.slice(logsBefore)) + h.loggerLines.join("\n");
    expect(logged.length).toBeLessThan(14 * 1024);
    // Before the fix each request's model stayed in the ring, the log and the error text: at
    // least 14 × 8 MiB still held after a full GC. (RSS, measured before, also counted garbage
    // a GC had not yet taken back, and failed now and then with nothing kept.)
    gc();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(48 * 1024 * 1024);
  });

  it("refuses over-long ids: metadata.user_id, user, metadata values, session headers", async () => {
    const long = "u".repeat(100_000);
    await expectRefused(
      paths.messages,
      msg("claude-x", { metadata: { user_id: long } }),
      "metadata.user_id",
    );
    await expectRefused(paths.chat, chat("gpt-x", { user: long }), "user");
    await expectRefused(paths.chat, chat("gpt-x", { metadata: { k: long } }), "metadata.k");
    await expectRefused(paths.messages, msg("claude-x"), "x-session-id", {
      "x-session-id": "s".repeat(1000),
    });
  });
});

describe("2. translated paths refuse what the source API refuses (never clamp, drop or default)", () => {
  const openAICases: Array<[string, object]> = [
    ["temperature", { temperature: 99 }],
    ["stream", { stream: "yes" }],
    ["stop", { stop: 42 }],
    ["tool_choice", { tool_choice: 42 }],
    ["tools", { tools: "x" }],
    ["max_tokens", { max_tokens: "64" }],
    ["max_completion_tokens", { max_completion_tokens: -1 }],
    ["messages[0].content", { messages: [{ role: "user", content: 5 }] }],
  ];
  it.each(openAICases)("chat completions → Anthropic: %s", async (param, patch) => {
    await expectRefused(paths.chat, chat("claude-x", patch), param);
    // The same request on pass-through is refused the same way (the upstream would refuse it).
    await expectRefused(paths.chat, chat("gpt-x", patch), param);
  });

  const anthropicCases: Array<[string, object]> = [
    ["temperature", { temperature: 99 }],
    ["stream", { stream: "yes" }],
    ["stop_sequences", { stop_sequences: 42 }],
    ["tool_choice", { tool_choice: 42 }],
    ["tools", { tools: "x" }],
    ["max_tokens", { max_tokens: "64" }],
    ["max_tokens", { max_tokens: null }],
    ["system[0].type", { system: [{ type: "image", source: { type: "url", url: "https://x" } }] }],
  ];
  it.each(anthropicCases)("messages → OpenAI: %s", async (param, patch) => {
    await expectRefused(paths.messages, msg("gpt-x", patch), param);
    await expectRefused(paths.messages, msg("claude-x", patch), param);
  });

  it('count_tokens validates too (messages: "x" was a 200)', async () => {
    await expectRefused(paths.count, JSON.stringify({ model: "gpt-x", messages: "x" }), "messages");
    await expectRefused(
      paths.count,
      JSON.stringify({ model: "claude-x", messages: "x" }),
      "messages",
    );
    const ok = await post(paths.count, JSON.stringify({ model: "gpt-x", messages: user }));
    expect(ok.status).toBe(200);
  });

  it("pass-through keeps members the upstream may accept", async () => {
    const res = await post(paths.chat, chat("gpt-x", { top_k: 20, repetition_penalty: 1.1 }));
    expect(res.status).toBe(200);
    expect(h.openai.requests.at(-1)?.body).toMatchObject({ top_k: 20, repetition_penalty: 1.1 });
  });
});

describe("3. deep request JSON and tool schemas are a 400, never a stack overflow", () => {
  const schema = `${'{"type":"object","properties":{"a":'.repeat(3000)}{"type":"string"}${"}}".repeat(3000)}`;
  it.each([
    [
      paths.chat,
      `{"model":"claude-x","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]}`,
    ],
    [
      paths.chat,
      `{"model":"gpt-x","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]}`,
    ],
    [
      paths.messages,
      `{"model":"gpt-x","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":${schema}}]}`,
    ],
    [
      paths.messages,
      `{"model":"claude-x","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":${schema}}]}`,
    ],
    [
      paths.count,
      `{"model":"gpt-x","messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":${schema}}]}`,
    ],
  ])("%s", async (path, body) => {
    expect(await expectRefused(path, body, "tools")).toContain("nests deeper than 128 levels");
  });
});

describe("4. the body routed is the body sent", () => {
  it("refuses invalid UTF-8 instead of forwarding U+FFFD", async () => {
    const bytes = (model: string) =>
      new Uint8Array(
        Buffer.concat([
          Buffer.from(
            `{"model":"${model}","max_tokens":5,"messages":[{"role":"user","content":"hi`,
          ),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from('"}]}'),
        ]),
      );
    for (const model of ["gpt-x", "claude-x"]) {
      expect(await expectRefused(paths.chat, bytes(model), null)).toContain("UTF-8");
      expect(await expectRefused(paths.messages, bytes(model), null)).toContain("UTF-8");
    }
  });

  it("refuses duplicate keys (routed on the last model while both were forwarded)", async () => {
    await expectRefused(
      paths.chat,
      '{"model":"claude-x","model":"gpt-x","messages":[{"role":"user","content":"hi"}]}',
      "model",
    );
    await expectRefused(
      paths.chat,
      '{"model":"gpt-x","stream":true,"messages":[{"role":"user","content":"hi"}],"stream":false}',
      "stream",
    );
    await expectRefused(
      paths.messages,
      '{"model":"claude-x","max_tokens":5,"messages":[{"role":"user","content":"hi","role":"assistant"}]}',
      "messages",
    );
  });
});
