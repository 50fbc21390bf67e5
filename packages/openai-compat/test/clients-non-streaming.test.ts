/**
 * The official SDKs judge the non-streaming translation: each SDK talks to a local server
 * (127.0.0.1, port 0) that translates its request to the other protocol, lets a fake model
 * of that protocol answer, and translates the answer (or an error) back.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AnthropicMessage,
  type AnthropicMessagesRequest,
  convertAnthropicErrorToOpenAI,
  convertAnthropicRequestToOpenAI,
  convertAnthropicResponseToOpenAI,
  convertOpenAIErrorToAnthropic,
  convertOpenAIRequestToAnthropic,
  convertOpenAIResponseToAnthropic,
  type OpenAIChatCompletion,
  type OpenAIChatRequest,
} from "../src/index.js";

/** A fake Claude: calls the first tool if there is one, else echoes the system prompt. */
function fakeClaude(request: AnthropicMessagesRequest): AnthropicMessage {
  const tool = request.tools?.[0];
  return {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model: request.model,
    content: tool
      ? [{ type: "tool_use", id: "toolu_1", name: tool.name, input: { city: "Paris" } }]
      : [
          { type: "thinking", thinking: "Echo it.", signature: "sig" },
          { type: "text", text: `system=${JSON.stringify(request.system)}` },
        ],
    stop_reason: tool ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: 11,
      output_tokens: 7,
      cache_read_input_tokens: 4,
      cache_creation_input_tokens: 0,
    },
  };
}

/** A fake OpenAI model: reports what it received, with reasoning and a tool call when tools exist. */
function fakeGpt(request: OpenAIChatRequest): OpenAIChatCompletion {
  const tool = request.tools?.[0];
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1,
    model: request.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: `roles=${request.messages.map((m) => m.role).join(",")}`,
          reasoning_content: "Thought.",
          ...(tool
            ? {
                tool_calls: [
                  {
                    id: "call_1",
                    type: "function" as const,
                    function: { name: tool.function.name, arguments: '{"q":1}' },
                  },
                ],
              }
            : {}),
        },
        finish_reason: tool ? "tool_calls" : "stop",
      },
    ],
    usage: {
      prompt_tokens: 30,
      completion_tokens: 5,
      total_tokens: 35,
      prompt_tokens_details: { cached_tokens: 10 },
    },
  };
}

let url = "";
let close = () => {};
beforeAll(async () => {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    if (body.model === "fail") {
      if (req.url?.startsWith("/v1/chat/completions")) {
        const out = convertAnthropicErrorToOpenAI(
          { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
          529,
        );
        send(out.status, out.body);
      } else {
        const out = convertOpenAIErrorToAnthropic(
          {
            error: {
              message: "Rate limit reached",
              type: "requests",
              param: null,
              code: "rate_limit_exceeded",
            },
          },
          429,
        );
        send(out.status, out.body);
      }
      return;
    }
    if (req.url?.startsWith("/v1/chat/completions")) {
      send(
        200,
        convertAnthropicResponseToOpenAI(fakeClaude(convertOpenAIRequestToAnthropic(body))),
      );
    } else {
      send(200, convertOpenAIResponseToAnthropic(fakeGpt(convertAnthropicRequestToOpenAI(body))));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => {
    server.closeAllConnections();
    server.close();
  };
});
afterAll(() => close());

describe("openai SDK against an Anthropic model", () => {
  const client = () => new OpenAI({ baseURL: `${url}/v1`, apiKey: "test", maxRetries: 0 });

  it("gets text, reasoning and cached usage", async () => {
    const completion = await client().chat.completions.create({
      model: "claude-x",
      messages: [
        { role: "developer", content: "Be brief." },
        { role: "user", content: "hi" },
      ],
    });
    const choice = completion.choices[0]!;
    expect(choice.message.content).toBe('system="Be brief."');
    expect((choice.message as unknown as { reasoning_content: string }).reasoning_content).toBe(
      "Echo it.",
    );
    expect(choice.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({
      prompt_tokens: 15,
      completion_tokens: 7,
      prompt_tokens_details: { cached_tokens: 4 },
    });
  });

  it("gets tool calls", async () => {
    const completion = await client().chat.completions.create({
      model: "claude-x",
      messages: [{ role: "user", content: "weather?" }],
      tools: [
        {
          type: "function",
          function: { name: "weather", parameters: { type: "object", properties: {} } },
        },
      ],
    });
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual({
      city: "Paris",
    });
    expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
  });

  it("throws a 503 APIError with the translated overload error", async () => {
    const error = await client()
      .chat.completions.create({ model: "fail", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 503, type: "server_error", code: "overloaded" });
  });
});

describe("@anthropic-ai/sdk against an OpenAI model", () => {
  const client = () => new Anthropic({ baseURL: url, apiKey: "test", maxRetries: 0 });

  it("gets thinking, text, tool use and usage", async () => {
    const message = await client().messages.create({
      model: "gpt-x",
      max_tokens: 100,
      system: "Be brief.",
      messages: [{ role: "user", content: "hi" }],
      tools: [{ name: "lookup", input_schema: { type: "object", properties: {} } }],
    });
    expect(message.content).toEqual([
      { type: "thinking", thinking: "Thought.", signature: "" },
      { type: "text", text: "roles=system,user" },
      { type: "tool_use", id: "call_1", name: "lookup", input: { q: 1 } },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage).toMatchObject({
      input_tokens: 20,
      output_tokens: 5,
      cache_read_input_tokens: 10,
    });
  });

  it("throws a RateLimitError with the Anthropic error body", async () => {
    const error = await client()
      .messages.create({ model: "fail", max_tokens: 1, messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error).toMatchObject({
      status: 429,
      error: { type: "error", error: { type: "rate_limit_error", message: "Rate limit reached" } },
    });
  });
});
