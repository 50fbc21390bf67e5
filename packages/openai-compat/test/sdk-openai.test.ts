import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFixtureChunks } from "../src/__fixtures__/read-fixture.js";
import { translateAnthropicStreamToOpenAI } from "../src/index.js";
import { startSseServer } from "./sdk-server.js";

// The judge: the official `openai` SDK reads Anthropic fixtures translated to OpenAI SSE and
// served from 127.0.0.1. The request's `model` names the fixture to serve.

const CREATED = 1_763_748_000;

/** `name` serves the whole fixture, `name#n` only its first n chunks (an upstream that died). */
async function* chunks(model: string) {
  const [fixture = "", keep] = model.split("#");
  const all = readFixtureChunks(fixture);
  for (const chunk of keep === undefined ? all : all.slice(0, Number(keep))) yield chunk;
}

let server: Awaited<ReturnType<typeof startSseServer>>;
let client: OpenAI;

beforeAll(async () => {
  server = await startSseServer((body) =>
    translateAnthropicStreamToOpenAI(chunks(String(body.model)), {
      includeUsage: (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage,
      now: () => CREATED * 1000,
    }),
  );
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "test-key", maxRetries: 0 });
});
afterAll(() => server.close());

function finalCompletion(fixture: string, includeUsage = true) {
  return client.chat.completions
    .stream({
      model: fixture,
      messages: [{ role: "user", content: "hi" }],
      ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    })
    .finalChatCompletion();
}

const completion = (id: string, model: string) => ({
  id,
  object: "chat.completion",
  created: CREATED,
  model,
});

describe("openai SDK reads Anthropic streams translated to OpenAI", () => {
  it("text, without usage when not asked for", async () => {
    expect(await finalCompletion("anthropic-text", false)).toEqual({
      ...completion("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929"),
      choices: [
        {
          index: 0,
          finish_reason: "stop",
          logprobs: null,
          message: {
            role: "assistant",
            content:
              "Bonjour 👋! In Tokyo it is sunny: 東京の天気は晴れです。 Have a great day — and enjoy the café ☕.",
            refusal: null,
            parsed: null,
          },
        },
      ],
    });
  });

  it("a tool call after text, with usage", async () => {
    expect(await finalCompletion("anthropic-tool-call")).toEqual({
      ...completion("msg_014p7gG3wDgGV9EUtLvnow3U", "claude-sonnet-4-5-20250929"),
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          logprobs: null,
          message: {
            role: "assistant",
            content: "Okay, let's check the weather for San Francisco, CA:",
            refusal: null,
            parsed: null,
            tool_calls: [
              {
                id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
                type: "function",
                function: {
                  name: "get_weather",
                  arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}',
                },
              },
            ],
          },
        },
      ],
      usage: {
        prompt_tokens: 472,
        completion_tokens: 89,
        total_tokens: 561,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
  });

  it("parallel tool calls keep their order, ids and arguments", async () => {
    const result = await finalCompletion("anthropic-parallel-tool-calls");
    const message = result.choices[0]!.message;
    expect(message.content).toBe("I'll look up both cities at once.");
    expect(
      message.tool_calls!.map((call) =>
        call.type === "function"
          ? [call.id, call.function.name, JSON.parse(call.function.arguments)]
          : call,
      ),
    ).toEqual([
      ["toolu_01A09q90qw90lq917835lq9", "get_weather", { location: "Zürich, CH", unit: "celsius" }],
      ["toolu_01B4nK2r1cJ7Xy8zV5mQ3pLs", "get_weather", { location: "東京, JP", unit: "celsius" }],
      ["toolu_01C7hT5wE2gR9uY1iO3pA6sD", "get_time", { timezone: "Asia/Tokyo" }],
    ]);
    expect(result.choices[0]!.finish_reason).toBe("tool_calls");
  });

  it("cache reads and writes count as prompt tokens, cache reads as cached", async () => {
    const result = await finalCompletion("anthropic-usage");
    expect(result.choices[0]!.finish_reason).toBe("length");
    expect(result.usage).toEqual({
      prompt_tokens: 2060,
      completion_tokens: 16,
      total_tokens: 2076,
      prompt_tokens_details: { cached_tokens: 1800 },
    });
  });

  it("thinking arrives as reasoning_content deltas (raw stream)", async () => {
    const stream = await client.chat.completions.create({
      model: "anthropic-thinking",
      messages: [{ role: "user", content: "27 * 453?" }],
      stream: true,
    });
    let reasoning = "";
    let content = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      const delta = choice?.delta as
        | { content?: string | null; reasoning_content?: string }
        | undefined;
      reasoning += delta?.reasoning_content ?? "";
      content += delta?.content ?? "";
      finish = choice?.finish_reason ?? finish;
    }
    expect(reasoning).toBe(
      "Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3\n3. 27 × 400 = 10,800; 27 × 50 = 1,350; 27 × 3 = 81\n4. Sum: 12,231",
    );
    expect(content).toBe("27 × 453 = **12,231**");
    expect(finish).toBe("stop");
  });

  it("a mid-stream error makes the SDK throw", async () => {
    const error = await finalCompletion("anthropic-error").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({
      type: "server_error",
      code: "overloaded",
      message: "Overloaded",
    });
  });

  it("an upstream that dies before message_delta makes the SDK throw", async () => {
    const error = await finalCompletion("anthropic-tool-call#6").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ message: "upstream stream ended early" });
  });
});
