import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, waitFor } from "./helpers/harness.js";
import { sendSse } from "./helpers/mock-upstream.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const openaiChunk = (content: string) =>
  `data: ${JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-mock-1",
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  })}\n\n`;

const anthropicEvent = (event: Record<string, unknown>) =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

const anthropicStart = [
  anthropicEvent({
    type: "message_start",
    message: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-mock",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 11, output_tokens: 1 },
    },
  }),
  anthropicEvent({
    type: "content_block_start",
    index: 0,
    content_block: { type: "text", text: "" },
  }),
  anthropicEvent({
    type: "content_block_delta",
    index: 0,
    delta: { type: "text_delta", text: "The answer is" },
  }),
];

describe("a pass-through stream that ends before its closing event", () => {
  it("makes the official OpenAI SDK raise instead of returning a truncated answer", async () => {
    // Cut cleanly after two chunks, in the middle of a third: no finish_reason, no [DONE].
    h.openai.handler = (_r, res) =>
      sendSse(res, [
        openaiChunk("The answer"),
        openaiChunk(" is"),
        'data: {"id":"chatcmpl-1","obj',
      ]);
    const client = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "x", maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "gpt-mock-1",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    let text = "";
    const consume = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    };
    const error = await consume().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain("ended the stream before [DONE]");
    expect(text).toBe("The answer is");
    await waitFor(() => h.logs.some((e) => e.error === "upstream_incomplete"));
  });

  it("makes the official Anthropic SDK raise instead of returning a truncated message", async () => {
    h.anthropic.handler = (_r, res) => sendSse(res, anthropicStart);
    const client = new Anthropic({ baseURL: h.server.url, apiKey: "x", maxRetries: 0 });
    const stream = client.messages.stream({
      model: "claude-mock",
      max_tokens: 32,
      messages: [{ role: "user", content: "hi" }],
    });
    const error = await stream.finalMessage().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as Error).message).toContain("ended the stream before message_stop");
    // The partial answer was billed upstream: its usage still counts, and the log says why.
    await waitFor(() => h.logs.some((e) => e.path === "/v1/messages" && e.error !== undefined));
    const entry = h.logs.find((e) => e.path === "/v1/messages" && e.error !== undefined);
    expect(entry).toMatchObject({ error: "upstream_incomplete", inputTokens: 11 });
  });

  it("leaves a stream that did finish exactly as the upstream sent it", async () => {
    const events = [
      ...anthropicStart,
      anthropicEvent({ type: "content_block_stop", index: 0 }),
      anthropicEvent({
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 3 },
      }),
      anthropicEvent({ type: "message_stop" }),
    ];
    h.anthropic.handler = (_r, res) => sendSse(res, events);
    const res = await fetch(`${h.server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model: "claude-mock",
        max_tokens: 32,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(await res.text()).toBe(events.join(""));
  });
});
