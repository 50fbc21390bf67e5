/**
 * The OpenAI Agents SDK (`@openai/agents`, which speaks the Responses API) set up exactly as
 * the README shows (`setDefaultOpenAIClient` at switchyard, tracing off), running an agent
 * with a function tool through switchyard to an Anthropic mock and a Chat Completions mock,
 * streaming and not. Nothing leaves 127.0.0.1.
 */
import { Agent, run, setDefaultOpenAIClient, setTracingDisabled, tool } from "@openai/agents";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ResponsesHarness, startResponsesHarness } from "./helpers/responses-harness.js";

let h: ResponsesHarness;
const calls: string[] = [];

beforeAll(async () => {
  h = await startResponsesHarness();
  // The README's set-up. (Agents SDK types name its own `openai` major; the wire is the same.)
  setDefaultOpenAIClient(
    new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "agents-key", maxRetries: 0 }) as never,
  );
  setTracingDisabled(true);
});
afterAll(async () => {
  await h.close();
});

const getWeather = tool({
  name: "get_weather",
  description: "Weather for a city",
  parameters: {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  },
  strict: true,
  execute: async (input) => {
    const { city } = input as { city: string };
    calls.push(city);
    return `sunny in ${city}`;
  },
});

describe.each([
  { upstream: "anthropic", model: "claude-sonnet-test", who: "mock-anthropic" },
  { upstream: "openai (Chat Completions)", model: "openai-mock:gpt-x", who: "mock-openai" },
])("Agents SDK → switchyard → $upstream", ({ model, who }) => {
  const agent = new Agent({
    name: "helper",
    model,
    instructions: "Be brief.",
    tools: [getWeather],
    modelSettings: { store: false },
  });

  it("runs the tool the model asks for and answers with its result", async () => {
    const before = calls.length;
    const logged = h.logs.length;
    const result = await run(agent, "What is the weather in Paris?");
    expect(calls.slice(before)).toEqual(["Paris"]);
    expect(result.finalOutput).toContain(`${who} got tool result`);
    expect(result.finalOutput).toContain("sunny in Paris");
    const requests = h.logs.slice(logged).filter((l) => l.path === "/v1/responses");
    expect(requests).toHaveLength(2);
    expect(requests.every((l) => l.status === 200)).toBe(true);
  });

  it("streams the tool step and the answer", async () => {
    const before = calls.length;
    const result = await run(agent, "weather for Paris, please", { stream: true });
    let text = "";
    for await (const chunk of result.toTextStream()) text += chunk;
    await result.completed;
    expect(result.error).toBeNull();
    expect(calls.slice(before)).toEqual(["Paris"]);
    expect(text).toContain("sunny in Paris");
    expect(result.finalOutput).toContain(`${who} got tool result`);
  });
});
