/**
 * Responses-only upstream models (`responsesOnly`): Chat Completions and Anthropic Messages
 * clients reach a mock that answers only on `/v1/responses`, streams and tools included.
 * And an upstream that dies mid-stream ends a translated Responses stream with
 * `response.failed`, never a forged `response.completed`.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicMockHandler, openAIMockHandler } from "./helpers/mock-behaviors.js";
import { type ResponsesHarness, startResponsesHarness } from "./helpers/responses-harness.js";

let h: ResponsesHarness;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  h = await startResponsesHarness({
    openai: async (request, res) => {
      const text = JSON.stringify(request.body?.messages ?? []);
      if (!text.includes("DIE")) return openAIMockHandler(request, res);
      // Text deltas (the translator's fast path), then the connection drops.
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const delta of [
        { role: "assistant", content: "" },
        { content: "part" },
        { content: "ial \u00e9" },
      ]) {
        const chunk = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
        res.write(
          `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`,
        );
      }
      setTimeout(() => res.destroy(), 20);
    },
    anthropic: async (request, res) => {
      const text = JSON.stringify(request.body?.messages ?? []);
      if (!text.includes("DIE")) return anthropicMockHandler(request, res);
      // A few events, then the connection drops.
      res.writeHead(200, { "content-type": "text/event-stream" });
      const send = (data: Record<string, unknown>) =>
        res.write(`event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`);
      send({
        type: "message_start",
        message: {
          id: "msg_d",
          type: "message",
          role: "assistant",
          model: "m",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 3, output_tokens: 1 },
        },
      });
      send({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
      send({
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: "partial" },
      });
      setTimeout(() => res.destroy(), 20);
    },
  });
  openai = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "k", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: h.server.url, apiKey: "k", maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
});

const weather = {
  type: "function" as const,
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

describe("responsesOnly backend", () => {
  it("serves a Chat Completions client from the upstream's /responses, with a tool round trip", async () => {
    const first = await openai.chat.completions.create({
      model: "responses-only:gpt-5-codex",
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: [weather],
    });
    const sent = h.openai.requests.at(-1);
    expect(sent?.path).toBe("/v1/responses");
    expect(sent?.body).toMatchObject({
      model: "gpt-5-codex",
      store: false,
      tools: [{ type: "function", name: "get_weather" }],
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call).toMatchObject({ id: "call_resp1", function: { name: "get_weather" } });
    const stream = await openai.chat.completions.create({
      model: "responses-only:gpt-5-codex",
      stream: true,
      stream_options: { include_usage: true },
      tools: [weather],
      messages: [
        { role: "user", content: "weather in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [call as OpenAI.ChatCompletionMessageToolCall],
        },
        { role: "tool", tool_call_id: "call_resp1", content: "sunny" },
      ],
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe("mock-responses got tool result: sunny (call_resp1)");
    expect(usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 11 });
    expect(h.openai.requests.at(-1)?.body?.input).toContainEqual({
      type: "function_call_output",
      call_id: "call_resp1",
      output: "sunny",
    });
  });

  it("serves an Anthropic client (streaming, with thinking and a tool_use)", async () => {
    const stream = anthropic.messages.stream({
      model: "responses-only:gpt-5-codex",
      max_tokens: 200,
      tools: [
        {
          name: "get_weather",
          input_schema: { type: "object", properties: { city: { type: "string" } } },
        },
      ],
      messages: [{ role: "user", content: "weather please" }],
    });
    const message = await stream.finalMessage();
    expect(message.content.map((b) => b.type)).toEqual(["thinking", "tool_use"]);
    expect(message.content[1]).toMatchObject({
      type: "tool_use",
      id: "call_resp1",
      input: { city: "Paris" },
    });
    expect(message.stop_reason).toBe("tool_use");
    expect(h.openai.requests.at(-1)?.path).toBe("/v1/responses");
  });
});

describe("an upstream that dies mid-stream", () => {
  it("ends the Responses stream with response.failed", async () => {
    const stream = await openai.responses.create({
      model: "claude-sonnet-test",
      input: "please DIE",
      stream: true,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((e) => e.type);
    expect(types).toContain("response.output_text.delta");
    expect(types.at(-1)).toBe("response.failed");
    expect(types).not.toContain("response.completed");
    const failed = events.at(-1) as { response: { status: string; error: { message: string } } };
    expect(failed.response.status).toBe("failed");
    expect(failed.response.error.message).toBeTruthy();
  });

  it("ends the Responses stream from a Chat Completions upstream with response.failed", async () => {
    const stream = await openai.responses.create({
      model: "openai-mock:gpt-x",
      input: "please DIE",
      stream: true,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((e) => e.type);
    const deltas = events.flatMap((e) =>
      e.type === "response.output_text.delta" ? [e.delta] : [],
    );
    expect(deltas).toEqual(["part", "ial \u00e9"]);
    expect(types.at(-1)).toBe("response.failed");
    expect(types).not.toContain("response.completed");
    const done = events.find((e) => e.type === "response.output_text.done");
    expect(done?.type === "response.output_text.done" && done.text).toBe("partial \u00e9");
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });
});
