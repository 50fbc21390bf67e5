import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CANARY_ANTHROPIC_KEY,
  CANARY_OPENAI_KEY,
  type Harness,
  startHarness,
  waitFor,
} from "./helpers/harness.js";
import { anthropicMockHandler, openAIMockHandler, PNG } from "./helpers/mock-behaviors.js";
import { sendJson } from "./helpers/mock-upstream.js";

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  h = await startHarness();
  client = new OpenAI({
    baseURL: `${h.server.url}/v1`,
    apiKey: "client-own-key-123",
    maxRetries: 0,
  });
});
afterAll(async () => {
  await h.close();
});

describe("OpenAI client → anthropic backend (translated)", () => {
  it("answers a plain completion and swaps the credential", async () => {
    const completion = await client.chat.completions.create({
      model: "claude-sonnet-test",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hello there" },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe("mock-anthropic says: hello there");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.completion_tokens).toBe(9);
    const upstream = h.anthropic.requests.at(-1);
    expect(upstream?.path).toBe("/v1/messages");
    expect(upstream?.headers["x-api-key"]).toBe(CANARY_ANTHROPIC_KEY);
    expect(upstream?.headers.authorization).toBeUndefined();
    expect(upstream?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(upstream?.body?.system).toBe("Be brief.");
    expect(upstream?.body?.model).toBe("claude-sonnet-test");
  });

  it("streams text with usage", async () => {
    const stream = await client.chat.completions.create({
      model: "anthropic-mock:claude-x",
      messages: [{ role: "user", content: "stream me please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("mock-anthropic says: stream me please");
    expect(finish).toBe("stop");
    expect(usage?.completion_tokens).toBe(9);
    expect(h.anthropic.requests.at(-1)?.body?.model).toBe("claude-x");
    await waitFor(() =>
      h.logs.some((l) => l.stream && l.backend === "anthropic-mock" && l.outputTokens === 9),
    );
  });

  it("makes a tool call and takes the tool result back, streaming and not", async () => {
    const first = await client.chat.completions.create({
      model: "claude-tools",
      messages: [{ role: "user", content: "what is the weather in Paris?" }],
      tools: [weatherTool],
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call?.type === "function" && call.function.name).toBe("get_weather");
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({
      city: "Paris",
    });
    expect(
      (h.anthropic.requests.at(-1)?.body?.tools as Array<{ name: string }> | undefined)?.[0]?.name,
    ).toBe("get_weather");

    const stream = await client.chat.completions.create({
      model: "claude-tools",
      messages: [{ role: "user", content: "weather please" }],
      tools: [weatherTool],
      stream: true,
    });
    let args = "";
    let name = "";
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.tool_calls?.[0];
      if (delta?.function?.name) name = delta.function.name;
      args += delta?.function?.arguments ?? "";
    }
    expect(name).toBe("get_weather");
    expect(JSON.parse(args)).toEqual({ city: "Paris" });

    const second = await client.chat.completions.create({
      model: "claude-tools",
      messages: [
        { role: "user", content: "what is the weather in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [call as OpenAI.ChatCompletionMessageToolCall],
        },
        { role: "tool", tool_call_id: call?.id ?? "", content: "sunny, 21C" },
      ],
      tools: [weatherTool],
    });
    expect(second.choices[0]?.message.content).toBe("mock-anthropic got tool result: sunny, 21C");
    const sent = h.anthropic.requests.at(-1)?.body?.messages as Array<{
      role: string;
      content: unknown;
    }>;
    expect(JSON.stringify(sent)).toContain('"tool_result"');
  });

  it("forwards images and stop sequences", async () => {
    const completion = await client.chat.completions.create({
      model: "claude-vision",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "look STOP here" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
          ],
        },
      ],
      stop: ["STOP"],
    });
    expect(completion.choices[0]?.message.content).toBe("mock-anthropic says: look ");
    const sent = h.anthropic.requests.at(-1)?.body;
    expect(sent?.stop_sequences).toEqual(["STOP"]);
    expect(JSON.stringify(sent?.messages)).toContain('"media_type":"image/png"');
  });

  it("raises RateLimitError with Retry-After for an upstream 429", async () => {
    h.anthropic.handler = (_r, res) =>
      sendJson(
        res,
        429,
        { type: "error", error: { type: "rate_limit_error", message: "slow down" } },
        { "retry-after": "7" },
      );
    try {
      const error = await client.chat.completions
        .create({ model: "claude-x", messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
      expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("7");
      expect((error as Error).message).toContain("slow down");
    } finally {
      h.anthropic.handler = anthropicMockHandler;
    }
  });

  it("raises InternalServerError for an upstream 500 and never echoes a non-JSON body", async () => {
    h.anthropic.handler = (_r, res) => {
      res.writeHead(500, { "content-type": "text/html" });
      res.end(`<html>stack trace with ${CANARY_ANTHROPIC_KEY}</html>`);
    };
    try {
      const error = await client.chat.completions
        .create({ model: "claude-x", messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect((error as Error).message).not.toContain("stack trace");
      expect((error as Error).message).not.toContain(CANARY_ANTHROPIC_KEY);
    } finally {
      h.anthropic.handler = anthropicMockHandler;
    }
  });
});

describe("OpenAI client → openai backend (pass-through)", () => {
  it("passes the request through with the backend key", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-mock-1",
      messages: [{ role: "user", content: "ping" }],
      temperature: 0.2,
    });
    expect(completion.choices[0]?.message.content).toBe("mock-openai says: ping");
    const upstream = h.openai.requests.at(-1);
    expect(upstream?.path).toBe("/v1/chat/completions");
    expect(upstream?.headers.authorization).toBe(`Bearer ${CANARY_OPENAI_KEY}`);
    expect(upstream?.raw).toContain('"temperature":0.2');
    await waitFor(() =>
      h.logs.some((l) => l.route === "route:gpt-*" && l.inputTokens === 17 && l.outputTokens === 7),
    );
  });

  it("streams bytes through untouched and rewrites routed models", async () => {
    const stream = await client.chat.completions.create({
      model: "alias-fast",
      messages: [{ role: "user", content: "a b c" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("mock-openai says: a b c");
    expect(h.openai.requests.at(-1)?.body?.model).toBe("gpt-mock-2");
  });

  it("passes tool calls, images and stop through", async () => {
    const completion = await client.chat.completions.create({
      model: "openai-mock:gpt-vision",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "two STOP three" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
          ],
        },
      ],
      stop: "STOP",
    });
    expect(completion.choices[0]?.message.content).toBe("mock-openai says: two ");
    const tool = await client.chat.completions.create({
      model: "gpt-mock-1",
      messages: [{ role: "user", content: "weather?" }],
      tools: [weatherTool],
    });
    expect(tool.choices[0]?.message.tool_calls?.[0]?.id).toBe("call_mock1");
  });

  it("raises the right error classes for upstream 429, 500 and a malformed body", async () => {
    h.openai.handler = (_r, res) =>
      sendJson(
        res,
        429,
        { error: { message: "quota", type: "requests", code: "rate_limit_exceeded" } },
        { "retry-after": "3" },
      );
    const limited = await client.chat.completions
      .create({ model: "gpt-mock-1", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("3");

    h.openai.handler = (_r, res) =>
      sendJson(res, 500, { error: { message: "boom", type: "server_error", code: null } });
    const failed = await client.chat.completions
      .create({ model: "gpt-mock-1", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OpenAI.InternalServerError);
    h.openai.handler = openAIMockHandler;

    const malformed = await fetch(`${h.server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"model": "gpt-mock-1", "messages": [',
    });
    expect(malformed.status).toBe(400);
    const body = (await malformed.json()) as { error: { type: string; code: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.code).toBe("invalid_json");
  });
});

describe("OpenAI client → echo and routing errors", () => {
  it("echoes deterministically and calls a tool when asked", async () => {
    const text = await client.chat.completions.create({
      model: "echo:any",
      messages: [{ role: "user", content: "same words" }],
    });
    expect(text.choices[0]?.message.content).toBe("same words");
    const tool = await client.chat.completions.create({
      model: "echo:any",
      messages: [{ role: "user", content: 'please call get_weather {"city":"Oslo"}' }],
      tools: [weatherTool],
    });
    const call = tool.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({
      city: "Oslo",
    });
  });

  it("names the model and the configured backends for an unroutable model (404)", async () => {
    const error = await client.chat.completions
      .create({ model: "mystery-model", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("model_not_found");
    expect((error as Error).message).toContain('"mystery-model"');
    expect((error as Error).message).toContain("anthropic-mock");
    expect((error as Error).message).toContain("claude-*");
  });

  it("lists models in OpenAI shape from upstreams, routes and echo", async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(
      expect.arrayContaining([
        "openai-mock:gpt-mock-1",
        "anthropic-mock:claude-mock-1",
        "echo:test",
        "claude-*",
      ]),
    );
    expect(models).not.toContain("echo:*");
  });

  it("asks an upstream for its models once and serves the cached list after", async () => {
    const probes = () => h.openai.requests.filter((r) => r.method === "GET").length;
    for await (const _ of client.models.list()) {
      // first listing fills the cache
    }
    const before = probes();
    expect(before).toBeGreaterThanOrEqual(1);
    const again = [];
    for await (const model of client.models.list()) again.push(model.id);
    expect(again).toContain("openai-mock:gpt-mock-2");
    expect(probes()).toBe(before);
  });
});
