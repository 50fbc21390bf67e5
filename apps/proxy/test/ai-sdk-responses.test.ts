/**
 * The Vercel AI SDK (`ai` 6 + `@ai-sdk/openai` 3): its default `openai(model)` provider
 * speaks the Responses API. `generateText` and `streamText` with a tool, through
 * switchyard to an Anthropic mock and a Chat Completions mock.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, jsonSchema, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ResponsesHarness, startResponsesHarness } from "./helpers/responses-harness.js";

let h: ResponsesHarness;
let openai: ReturnType<typeof createOpenAI>;

beforeAll(async () => {
  h = await startResponsesHarness();
  openai = createOpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "ai-sdk-key" });
});
afterAll(async () => {
  await h.close();
});

const calls: string[] = [];
const tools = {
  get_weather: tool({
    description: "Weather for a city",
    inputSchema: jsonSchema<{ city: string }>({
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    }),
    execute: async ({ city }) => {
      calls.push(city);
      return `sunny in ${city}`;
    },
  }),
};

describe.each([
  { upstream: "anthropic", model: "claude-sonnet-test", who: "mock-anthropic" },
  { upstream: "openai", model: "openai-mock:gpt-x", who: "mock-openai" },
])("AI SDK openai(model) → switchyard → $upstream", ({ model, who }) => {
  it("generateText runs a tool and answers with its result", async () => {
    const before = calls.length;
    const result = await generateText({
      model: openai(model),
      prompt: "What is the weather in Paris?",
      tools,
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    expect(calls.slice(before)).toEqual(["Paris"]);
    expect(result.steps).toHaveLength(2);
    expect(result.text).toContain(`${who} got tool result`);
    expect(result.text).toContain("sunny in Paris");
    expect(result.totalUsage.outputTokens).toBeGreaterThan(0);
    expect(h.logs.filter((l) => l.path === "/v1/responses").every((l) => l.status === 200)).toBe(
      true,
    );
  });

  it("streamText streams the tool step and the answer", async () => {
    const before = calls.length;
    const result = streamText({
      model: openai(model),
      prompt: "weather for Paris, please",
      tools,
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    let text = "";
    const parts = new Set<string>();
    for await (const part of result.fullStream) {
      parts.add(part.type);
      if (part.type === "text-delta") text += part.text;
      if (part.type === "error") throw part.error;
    }
    expect(calls.slice(before)).toEqual(["Paris"]);
    expect(parts).toContain("tool-call");
    expect(parts).toContain("tool-result");
    expect(text).toContain("sunny in Paris");
    expect(await result.finishReason).toBe("stop");
  });
});
