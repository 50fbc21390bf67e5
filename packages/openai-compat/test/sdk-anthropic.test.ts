import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFixtureChunks } from "../src/__fixtures__/read-fixture.js";
import { translateOpenAIStreamToAnthropic } from "../src/index.js";
import { startSseServer } from "./sdk-server.js";

// The judge: @anthropic-ai/sdk reads OpenAI fixtures translated to Anthropic SSE and served
// from 127.0.0.1. The request's `model` names the fixture to serve.

async function* chunks(fixture: string) {
  for (const chunk of readFixtureChunks(fixture)) yield chunk;
}

let server: Awaited<ReturnType<typeof startSseServer>>;
let client: Anthropic;

beforeAll(async () => {
  server = await startSseServer((body) =>
    translateOpenAIStreamToAnthropic(chunks(String(body.model))),
  );
  client = new Anthropic({ baseURL: server.url, apiKey: "test-key", maxRetries: 0 });
});
afterAll(() => server.close());

function finalMessage(fixture: string) {
  return client.messages
    .stream({ model: fixture, max_tokens: 1024, messages: [{ role: "user", content: "hi" }] })
    .finalMessage();
}

const message = (id: string, model: string) => ({
  id,
  type: "message",
  role: "assistant",
  model,
  stop_sequence: null,
});

describe("@anthropic-ai/sdk reads OpenAI streams translated to Anthropic", () => {
  it("text", async () => {
    expect(await finalMessage("openai-text")).toEqual({
      ...message("chatcmpl-CeH1vXb7Ya2rK0qzT3mLw8Pn4sDfG", "gpt-4o-mini-2024-07-18"),
      content: [
        {
          type: "text",
          text: "Bonjour 👋! In Tokyo it is sunny: 東京の天気は晴れです。 Have a great day — and enjoy the café ☕.",
        },
      ],
      stop_reason: "end_turn",
      usage: { input_tokens: 0, output_tokens: 0 },
      parsed_output: null,
    });
  });

  it("a tool call, with its input parsed", async () => {
    expect(await finalMessage("openai-tool-call")).toEqual({
      ...message("chatcmpl-CeH2aQk1Lr8sW5nYp7Xv0Tg3bHcJd", "gpt-4o-2024-08-06"),
      content: [
        {
          type: "tool_use",
          id: "call_DdmO9pD3xa9XTPNJ32zg2hcA",
          name: "get_weather",
          input: { location: "San Francisco, CA", unit: "fahrenheit" },
        },
      ],
      stop_reason: "tool_use",
      usage: { input_tokens: 0, output_tokens: 0 },
      parsed_output: null,
    });
  });

  it("parallel tool calls, sequential and interleaved", async () => {
    const sequential = await finalMessage("openai-parallel-tool-calls");
    expect(sequential.content).toEqual([
      {
        type: "tool_use",
        id: "call_l9Tq3Vx8Yz1Ab2Cd3Ef4Gh5I",
        name: "get_weather",
        input: { location: "Zürich, CH", unit: "celsius" },
      },
      {
        type: "tool_use",
        id: "call_m0Ur4Wy9Za2Bc3De4Fg5Hi6J",
        name: "get_weather",
        input: { location: "東京, JP", unit: "celsius" },
      },
      {
        type: "tool_use",
        id: "call_n1Vs5Xz0Ab3Cd4Ef5Gh6Ij7K",
        name: "get_time",
        input: { timezone: "Asia/Tokyo" },
      },
    ]);
    const interleaved = await finalMessage("openai-interleaved-tool-calls");
    expect(interleaved).toEqual({
      ...message("chatcmpl-9f8e7d6c5b4a", "qwen3-32b"),
      content: [
        { type: "text", text: "Checking both." },
        {
          type: "tool_use",
          id: "chatcmpl-tool-4b1f0c2a",
          name: "get_weather",
          input: { location: "Paris, FR" },
        },
        {
          type: "tool_use",
          id: "chatcmpl-tool-8e3d9a7b",
          name: "get_time",
          input: { timezone: "Europe/Paris" },
        },
      ],
      stop_reason: "tool_use",
      usage: {
        input_tokens: 301,
        output_tokens: 42,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      parsed_output: null,
    });
  });

  it("Gemini-style tool calls without index", async () => {
    const msg = await finalMessage("openai-gemini-tool-calls");
    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.content).toEqual([
      { type: "text", text: "Let me check both cities." },
      {
        type: "tool_use",
        id: "function-call-5123417982343423211",
        name: "get_weather",
        input: { location: "Zürich, CH" },
      },
      {
        type: "tool_use",
        id: "function-call-5123417982343423212",
        name: "get_weather",
        input: { location: "東京, JP" },
      },
    ]);
  });

  it("reasoning_content as a thinking block, with usage", async () => {
    expect(await finalMessage("openai-reasoning")).toEqual({
      ...message("d1c5e0a6-3b6e-4f0e-9a43-6f5e2c0b7a91", "deepseek-reasoner"),
      content: [
        {
          type: "thinking",
          thinking: "The user asks for 27 × 453. 27 × 400 = 10800, 27 × 53 = 1431. Total 12231.",
          signature: "",
        },
        { type: "text", text: "27 × 453 = **12,231**" },
      ],
      stop_reason: "end_turn",
      usage: {
        input_tokens: 18,
        output_tokens: 96,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens_details: { thinking_tokens: 78 },
      },
      parsed_output: null,
    });
  });

  it("usage from the include_usage chunk that follows the finish chunk", async () => {
    const msg = await finalMessage("openai-usage");
    expect(msg.stop_reason).toBe("max_tokens");
    expect(msg.usage).toEqual({
      input_tokens: 268,
      output_tokens: 16,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1792,
      output_tokens_details: { thinking_tokens: 0 },
    });
  });

  it("a mid-stream error makes the SDK throw", async () => {
    const error = await finalMessage("openai-error").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe("api_error");
  });

  it("a truncated upstream makes the SDK throw instead of returning a partial message", async () => {
    const error = await finalMessage("openai-truncated").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(String((error as Error).message)).toContain("upstream stream ended early");
  });
});
