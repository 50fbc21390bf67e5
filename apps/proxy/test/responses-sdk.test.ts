/**
 * The official `openai` SDK's Responses client (`responses.create` / `responses.stream`)
 * against every backend kind: text, a function tool round trip, image input and the
 * `max_output_tokens` cut-off, streaming and not. Upstreams are local mocks.
 */
import OpenAI from "openai";
import type { ResponseInputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY_OPENAI_KEY, waitFor } from "./helpers/harness.js";
import { PNG } from "./helpers/mock-behaviors.js";
import {
  type ResponsesHarness,
  startResponsesHarness,
  WEATHER_TOOL,
} from "./helpers/responses-harness.js";

let h: ResponsesHarness;
let client: OpenAI;

beforeAll(async () => {
  h = await startResponsesHarness();
  client = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "client-key", maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
});

const weather = WEATHER_TOOL;

/** One row per backend kind: the model to ask for and what its answer to "hello" contains. */
const kinds = [
  {
    kind: "anthropic (translated)",
    model: "claude-sonnet-test",
    hello: "mock-anthropic says: hello",
    images: true,
  },
  {
    kind: "openai (translated to Chat Completions)",
    model: "openai-mock:gpt-x",
    hello: "mock-openai says: hello",
    images: true,
  },
  {
    kind: "openai (native pass-through)",
    model: "openai-native:gpt-x",
    hello: "mock-responses says: hello",
    images: false,
  },
  { kind: "echo", model: "echo:anything", hello: "hello", images: false },
] as const;

/** Checks the stream invariants a client relies on and returns the event types. */
function checkEvents(events: ResponseStreamEvent[]): string[] {
  const seq = events.map((e) => e.sequence_number);
  expect(seq).toEqual([...seq].sort((a, b) => a - b));
  expect(new Set(seq).size).toBe(seq.length);
  const types = events.map((e) => e.type);
  expect(types[0]).toBe("response.created");
  const terminal = types.filter((t) => /^response\.(completed|incomplete|failed)$/.test(t));
  expect(terminal).toHaveLength(1);
  expect(types.at(-1)).toBe(terminal[0]);
  return types;
}

describe.each(kinds)("openai SDK responses → $kind", ({ model, hello, images }) => {
  it("creates a text response with usage", async () => {
    const response = await client.responses.create({
      model,
      instructions: "Be brief.",
      input: "hello there",
    });
    expect(response.status).toBe("completed");
    expect(response.output_text).toContain(hello);
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
    expect(response.model).toBe(model.split(":").at(-1));
  });

  it("streams text with the full event sequence", async () => {
    const stream = client.responses.stream({ model, input: "hello stream" });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = checkEvents(events);
    for (const t of [
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.output_item.done",
      "response.completed",
    ])
      expect(types).toContain(t);
    const final = await stream.finalResponse();
    expect(final.output_text).toContain(hello.replace("hello", "hello stream").slice(0, 20));
  });

  it("round-trips a function tool call paired by call_id", async () => {
    const input: ResponseInputItem[] = [
      { role: "user", content: "what is the weather? call get_weather" },
    ];
    const first = await client.responses.create({ model, input, tools: [weather] });
    const call = first.output.find((i) => i.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", name: "get_weather" });
    if (call?.type !== "function_call") throw new Error("no call");
    expect(JSON.parse(call.arguments)).toBeTypeOf("object");
    input.push(...(first.output as ResponseInputItem[]), {
      type: "function_call_output",
      call_id: call.call_id,
      output: "sunny",
    });
    const stream = client.responses.stream({ model, input, tools: [weather] });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    checkEvents(events);
    expect((await stream.finalResponse()).output_text).toContain("tool result: sunny");
  });

  it("streams a function call's arguments", async () => {
    const stream = client.responses.stream({
      model,
      input: "weather please, call get_weather",
      tools: [weather],
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = checkEvents(events);
    expect(types).toContain("response.function_call_arguments.done");
    const final = await stream.finalResponse();
    const call = final.output.find((i) => i.type === "function_call");
    expect(call?.type === "function_call" && call.call_id).toBeTruthy();
  });

  it("takes image input", async () => {
    const response = await client.responses.create({
      model,
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "hello image" },
            { type: "input_image", image_url: `data:image/png;base64,${PNG}`, detail: "auto" },
          ],
        },
      ],
    });
    expect(response.status).toBe("completed");
    if (images) expect(response.output_text).toContain("(saw 1 image)");
    if (model.startsWith("openai-native:")) {
      // Passed through: the upstream got the image part exactly as the SDK sent it.
      const input = h.openai.requests.at(-1)?.body?.input as Array<{ content: unknown[] }>;
      expect(input[0]?.content[1]).toEqual({
        type: "input_image",
        image_url: `data:image/png;base64,${PNG}`,
        detail: "auto",
      });
    }
  });

  it("reports a max_output_tokens cut-off as incomplete, streaming and not", async () => {
    // 20 words; 16 is the least max_output_tokens the API (and switchyard) takes.
    const input = Array.from({ length: 20 }, (_, i) => `word${i}`).join(" ");
    const response = await client.responses.create({ model, input, max_output_tokens: 16 });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details?.reason).toBe("max_output_tokens");
    const stream = client.responses.stream({ model, input, max_output_tokens: 16 });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(checkEvents(events).at(-1)).toBe("response.incomplete");
  });
});

describe("/v1/responses in the proxy", () => {
  it("refuses a max_output_tokens below 16, as the Responses API does", async () => {
    const error = await client.responses
      .create({ model: "claude-sonnet-test", input: "hi", max_output_tokens: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as { param?: string }).param).toBe("max_output_tokens");
    expect((error as Error).message).toMatch(/at least 16/);
  });

  it("refuses previous_response_id on a translated backend: switchyard is stateless", async () => {
    const error = await client.responses
      .create({ model: "claude-sonnet-test", input: "hi", previous_response_id: "resp_123" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/stateless/);
    expect((error as { param?: string }).param).toBe("previous_response_id");
  });

  it("passes previous_response_id through to a native Responses upstream", async () => {
    await client.responses.create({
      model: "openai-native:gpt-x",
      input: "hi",
      previous_response_id: "resp_123",
    });
    const sent = h.openai.requests.at(-1);
    expect(sent?.path).toBe("/v1/responses");
    expect(sent?.body?.previous_response_id).toBe("resp_123");
    expect(sent?.headers.authorization).toBe(`Bearer ${CANARY_OPENAI_KEY}`);
  });

  it("leaves out hosted tools, says so in a header and the request log, and still answers", async () => {
    const { data, response } = await client.responses
      .create({
        model: "claude-sonnet-test",
        input: "hello tools",
        tools: [weather, { type: "web_search" }],
      })
      .withResponse();
    expect(data.output_text).toContain("mock-anthropic says: hello tools");
    expect(response.headers.get("x-switchyard-omitted")).toBe("tool:web_search");
    expect(h.anthropic.requests.at(-1)?.body?.tools).toEqual([
      { name: "get_weather", description: "Weather for a city", input_schema: weather.parameters },
    ]);
    await waitFor(() => h.logs.some((l) => l.omitted?.includes("tool:web_search") === true));
  });

  it("answers a bad body with an OpenAI error naming the field", async () => {
    const error = await client.responses
      .create({ model: "claude-sonnet-test", input: 5 as unknown as string })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as { param?: string }).param).toBe("input");
  });

  it("logs usage and the route like the other endpoints", async () => {
    await client.responses.create({ model: "openai-mock:gpt-y", input: "log me" });
    await waitFor(() =>
      h.logs.some(
        (l) => l.path === "/v1/responses" && l.backend === "openai-mock" && l.outputTokens === 7,
      ),
    );
    const entry = h.logs.findLast((l) => l.path === "/v1/responses" && l.backend === "openai-mock");
    expect(entry).toMatchObject({
      route: "prefix",
      upstreamModel: "gpt-y",
      inputTokens: 17,
      cacheReadTokens: 4,
    });
    expect(h.openai.requests.at(-1)?.path).toBe("/v1/chat/completions");
  });
});
