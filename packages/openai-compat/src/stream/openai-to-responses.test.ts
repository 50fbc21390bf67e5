import { describe, expect, it } from "vitest";
import { readFixtureMessages } from "../__fixtures__/read-fixture.js";
import { convertOpenAIResponseToResponses } from "../convert-openai-response-to-responses.js";
import { createSseReader } from "../sse-reader.js";
import type { ResponsesResponse, ResponsesStreamEvent } from "../types/responses.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";
import { createAnthropicToResponsesStreamTranslator } from "./anthropic-to-responses.js";
import { createOpenAIToResponsesStreamTranslator } from "./openai-to-responses.js";
import { parseOpenAIStreamData } from "./serialize.js";

let ids = 0;
const options = {
  now: () => 1_763_748_000_500,
  generateId: (prefix: string) => `${prefix}${++ids}`,
};

/** Runs fixture `name` through the right translator and returns every event emitted. */
export function translateFixture(name: string): ResponsesStreamEvent[] {
  const out: ResponsesStreamEvent[] = [];
  if (name.startsWith("openai-")) {
    const t = createOpenAIToResponsesStreamTranslator(options);
    for (const m of readFixtureMessages(name)) out.push(...t.push(parseOpenAIStreamData(m.data)));
    out.push(...t.finish());
  } else {
    const t = createAnthropicToResponsesStreamTranslator(options);
    for (const m of readFixtureMessages(name)) out.push(...t.push(JSON.parse(m.data)));
    out.push(...t.finish());
  }
  return out;
}

/** Checks the invariants every translated stream keeps, and returns the terminal response. */
export function checkSequence(events: ResponsesStreamEvent[]): ResponsesResponse {
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  expect(events[0]?.type).toBe("response.created");
  expect(events[1]?.type).toBe("response.in_progress");
  const terminal = events.filter((e) =>
    ["response.completed", "response.incomplete", "response.failed"].includes(e.type),
  );
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)).toBe(terminal[0]);
  // Every added item is done, at the output_index it was added at.
  const added = events.filter((e) => e.type === "response.output_item.added");
  const done = events.filter((e) => e.type === "response.output_item.done");
  expect(done.map((e) => e.output_index).sort()).toEqual(added.map((e) => e.output_index).sort());
  expect(added.map((e) => e.output_index)).toEqual(added.map((_, i) => i));
  return (terminal[0] as { response: ResponsesResponse }).response;
}

describe("createOpenAIToResponsesStreamTranslator", () => {
  it("streams text as one message item with the full event sequence", () => {
    const events = translateFixture("openai-text");
    const response = checkSequence(events);
    const types = [...new Set(events.map((e) => e.type))];
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const deltas = events.flatMap((e) =>
      e.type === "response.output_text.delta" ? [e.delta] : [],
    );
    const done = events.find((e) => e.type === "response.output_text.done");
    expect(done && "text" in done ? done.text : "").toBe(deltas.join(""));
    expect(response.status).toBe("completed");
    expect(response.output).toHaveLength(1);
    expect(response.output_text).toBe(deltas.join(""));
    expect(response.output[0]).toMatchObject({ type: "message", status: "completed" });
  });

  it("streams a tool call as a function_call item whose call_id is the upstream id", () => {
    const events = translateFixture("openai-tool-call");
    const response = checkSequence(events);
    const call = response.output.find((i) => i.type === "function_call");
    expect(call).toMatchObject({
      call_id: "call_DdmO9pD3xa9XTPNJ32zg2hcA",
      name: "get_weather",
      status: "completed",
    });
    expect(JSON.parse((call as { arguments: string }).arguments)).toEqual({
      location: "San Francisco, CA",
      unit: "fahrenheit",
    });
    const argsDone = events.find((e) => e.type === "response.function_call_arguments.done");
    expect(argsDone).toMatchObject({
      name: "get_weather",
      arguments: (call as { arguments: string }).arguments,
    });
  });

  it('gives a tool call whose arguments came as "" "{}" in its deltas, done events and response', () => {
    const t = createOpenAIToResponsesStreamTranslator(options);
    const base = {
      id: "chatcmpl-1",
      object: "chat.completion.chunk" as const,
      created: 1,
      model: "m",
    };
    const call = {
      index: 0,
      id: "call_1",
      type: "function" as const,
      function: { name: "now", arguments: "" },
    };
    const events = [
      ...t.push({
        ...base,
        choices: [
          { index: 0, delta: { role: "assistant", tool_calls: [call] }, finish_reason: null },
        ],
      }),
      ...t.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] }),
      ...t.push("[DONE]"),
      ...t.finish(),
    ] as ResponsesStreamEvent[];
    const response = checkSequence(events);
    const deltas = events.flatMap((e) =>
      e.type === "response.function_call_arguments.delta" ? [e.delta] : [],
    );
    expect(deltas.join("")).toBe("{}");
    expect(events.find((e) => e.type === "response.function_call_arguments.done")).toMatchObject({
      arguments: "{}",
    });
    const itemDone = events.find((e) => e.type === "response.output_item.done");
    expect(itemDone).toMatchObject({ item: { type: "function_call", arguments: "{}" } });
    expect(response.output).toMatchObject([{ type: "function_call", arguments: "{}" }]);
    const whole = convertOpenAIResponseToResponses({
      ...base,
      object: "chat.completion",
      choices: [
        {
          index: 0,
          finish_reason: "tool_calls",
          message: { role: "assistant", content: null, tool_calls: [call] },
        },
      ],
    } as Parameters<typeof convertOpenAIResponseToResponses>[0]);
    expect(whole.output).toMatchObject([{ type: "function_call", arguments: "{}" }]);
  });

  it("streams delta.refusal as a refusal part (response.refusal.*), as the unstreamed conversion does", () => {
    const t = createOpenAIToResponsesStreamTranslator(options);
    const base = { id: "c", object: "chat.completion.chunk" as const, created: 1, model: "m" };
    const delta = (d: Record<string, unknown>, finish: string | null = null) =>
      t.push({
        ...base,
        choices: [{ index: 0, delta: d, finish_reason: finish }],
      } as OpenAIStreamItem);
    const events = [
      ...delta({ role: "assistant", content: null, refusal: "I can't" }),
      ...delta({ refusal: " help." }),
      ...delta({}, "stop"),
      ...t.push("[DONE]"),
    ] as ResponsesStreamEvent[];
    const response = checkSequence(events);
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.refusal.delta",
      "response.refusal.delta",
      "response.refusal.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const item = (events[2] as { item: { id: string } }).item;
    expect(events[3]).toMatchObject({ item_id: item.id, part: { type: "refusal", refusal: "" } });
    expect(events[4]).toMatchObject({
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      delta: "I can't",
    });
    expect(events[6]).toMatchObject({ item_id: item.id, refusal: "I can't help." });
    expect(events[7]).toMatchObject({ part: { type: "refusal", refusal: "I can't help." } });
    // Nothing of it is answer text.
    expect(events.some((e) => e.type.startsWith("response.output_text"))).toBe(false);
    expect(response.output_text).toBe("");
    const whole = convertOpenAIResponseToResponses({
      ...base,
      object: "chat.completion",
      choices: [
        {
          index: 0,
          finish_reason: "stop",
          message: { role: "assistant", content: null, refusal: "I can't help." },
        },
      ],
    } as Parameters<typeof convertOpenAIResponseToResponses>[0]);
    const shape = (r: ResponsesResponse) => r.output.map(({ id: _id, ...rest }) => rest);
    expect(shape(response)).toEqual(shape(whole));
    expect(response.status).toBe(whole.status);
  });

  it("keeps text after a refusal in a message item of its own, on the raw fast path too", () => {
    const base = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
    const sse = (d: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: d, finish_reason: finish }] })}\n\n`;
    const body = [
      sse({ role: "assistant", refusal: "No." }),
      sse({ content: "But " }),
      sse({ content: "here." }),
      sse({}, "stop"),
      "data: [DONE]\n\n",
    ].join("");
    // Through the reader (the text chunks take the raw fast path) and through push alone.
    const fast = createOpenAIToResponsesStreamTranslator(options);
    let rawTaken = 0;
    const reader = createSseReader({
      push: (data) => fast.push(parseOpenAIStreamData(data)).map(fast.sse).join(""),
      raw: (text, start, end) => {
        const out = fast.textDeltaEventSse(text, start, end);
        if (out !== undefined) rawTaken++;
        return out;
      },
      get done() {
        return fast.done;
      },
    });
    const written = reader.push(body) + reader.end();
    const events = written
      .split("\n\n")
      .filter((block) => block.includes("data: "))
      .map((block) => JSON.parse(block.slice(block.indexOf("data: ") + 6)) as ResponsesStreamEvent);
    expect(rawTaken).toBe(2);
    const response = checkSequence(events);
    expect(response.output).toMatchObject([
      { type: "message", content: [{ type: "refusal", refusal: "No." }] },
      { type: "message", content: [{ type: "output_text", text: "But here." }] },
    ]);
    expect(response.output_text).toBe("But here.");
    const refusalItem = response.output[0]?.id;
    for (const e of events) {
      if (e.type === "response.output_text.delta") expect(e.item_id).not.toBe(refusalItem);
    }
  });

  it("keeps parallel and interleaved tool calls apart", () => {
    for (const fixture of ["openai-parallel-tool-calls", "openai-interleaved-tool-calls"]) {
      const response = checkSequence(translateFixture(fixture));
      const calls = response.output.filter((i) => i.type === "function_call");
      expect(calls.length).toBeGreaterThan(1);
      for (const call of calls)
        expect(() => JSON.parse((call as { arguments: string }).arguments)).not.toThrow();
      expect(new Set(calls.map((c) => (c as { call_id: string }).call_id)).size).toBe(calls.length);
    }
  });

  it("streams reasoning_content as a reasoning summary before the message", () => {
    const events = translateFixture("openai-reasoning");
    const response = checkSequence(events);
    expect(response.output[0]?.type).toBe("reasoning");
    expect(response.output[1]?.type).toBe("message");
    const summary = (response.output[0] as { summary: Array<{ text: string }> }).summary[0]?.text;
    const deltas = events.flatMap((e) =>
      e.type === "response.reasoning_summary_text.delta" ? [e.delta] : [],
    );
    expect(summary).toBe(deltas.join(""));
    expect(events.some((e) => e.type === "response.reasoning_summary_part.added")).toBe(true);
  });

  it("reports usage from the include_usage chunk on the terminal event", () => {
    const response = checkSequence(translateFixture("openai-usage"));
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    expect(response.usage?.total_tokens).toBe(
      (response.usage?.input_tokens ?? 0) + (response.usage?.output_tokens ?? 0),
    );
  });

  it("ends a stream that stops early with response.failed, never completed", () => {
    const events = translateFixture("openai-truncated");
    const response = checkSequence(events);
    expect(events.at(-1)?.type).toBe("response.failed");
    expect(response.status).toBe("failed");
    expect(response.error?.message).toMatch(/ended early/);
    expect(response.output.every((i) => i.status === "incomplete")).toBe(true);
  });

  it("turns an upstream error object into response.failed with its code", () => {
    const events = translateFixture("openai-error");
    const response = checkSequence(events);
    expect(response.status).toBe("failed");
    expect(response.error?.code).toBeTruthy();
  });

  it("ends a length-cut answer with response.incomplete (max_output_tokens)", () => {
    const t = createOpenAIToResponsesStreamTranslator(options);
    const chunk = (
      delta: Record<string, unknown>,
      finish: string | null = null,
    ): OpenAIStreamItem => ({
      id: "c",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta, finish_reason: finish as null }],
    });
    const events = [
      ...t.push(chunk({ content: "Once upon" })),
      ...t.push(chunk({}, "length")),
      ...t.push("[DONE]"),
    ];
    const response = checkSequence(events);
    expect(events.at(-1)?.type).toBe("response.incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.output[0]?.status).toBe("incomplete");
    expect(t.push(chunk({ content: "more" }))).toEqual([]);
  });

  it("echoes the request's tools and instructions in the response", () => {
    const request = {
      model: "m",
      instructions: "Be brief.",
      tools: [{ type: "function" as const, name: "f", parameters: {} }],
    };
    const t = createOpenAIToResponsesStreamTranslator({ ...options, request });
    const [created] = t.push({
      id: "c",
      object: "chat.completion.chunk",
      created: 1,
      model: "up",
      choices: [],
    });
    expect(created).toMatchObject({
      type: "response.created",
      response: {
        instructions: "Be brief.",
        tools: request.tools,
        status: "in_progress",
        model: "up",
      },
    });
  });
});

describe("createAnthropicToResponsesStreamTranslator", () => {
  it("translates text, tool calls, thinking and errors from Anthropic streams", () => {
    const text = checkSequence(translateFixture("anthropic-text"));
    expect(text.status).toBe("completed");
    expect(text.output_text?.length).toBeGreaterThan(0);

    const tool = checkSequence(translateFixture("anthropic-tool-call"));
    const call = tool.output.find((i) => i.type === "function_call") as { call_id: string };
    expect(call.call_id).toMatch(/^toolu_/);

    const thinking = checkSequence(translateFixture("anthropic-thinking"));
    expect(thinking.output[0]?.type).toBe("reasoning");

    const failed = checkSequence(translateFixture("anthropic-error"));
    expect(failed.status).toBe("failed");
    expect(failed.error?.message).toBeTruthy();
  });

  it("carries Anthropic usage (cache reads and writes included in input) to the terminal event", () => {
    const response = checkSequence(translateFixture("anthropic-usage"));
    // input 12, cache writes 248, cache reads 1800, output 16.
    expect(response.usage).toEqual({
      input_tokens: 12 + 248 + 1800,
      input_tokens_details: { cached_tokens: 1800, cache_write_tokens: 248 },
      output_tokens: 16,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 12 + 248 + 1800 + 16,
    });
  });
});

describe("createOpenAIToResponsesStreamTranslator with Codex's custom and namespace tools", () => {
  it("maps calls of the function tools they became back to custom_tool_call and namespace", () => {
    const t = createOpenAIToResponsesStreamTranslator({
      ...options,
      request: {
        model: "m",
        tools: [
          { type: "custom", name: "apply_patch" },
          { type: "namespace", name: "ns", tools: [{ type: "function", name: "spawn" }] },
        ],
      },
    });
    const chunk = (delta: object, finish_reason: string | null = null) =>
      ({
        id: "c",
        object: "chat.completion.chunk",
        created: 1,
        model: "m",
        choices: [{ index: 0, delta, finish_reason }],
      }) as OpenAIStreamItem;
    const call = (index: number, fn: object, id?: string) =>
      chunk({ tool_calls: [{ index, ...(id ? { id, type: "function" } : {}), function: fn }] });
    const events: ResponsesStreamEvent[] = [];
    for (const item of [
      call(0, { name: "apply_patch", arguments: '{"input":"*** Begin' }, "call_a"),
      call(0, { arguments: ' Patch"}' }),
      call(1, { name: "ns__spawn", arguments: '{"task":"x"}' }, "call_b"),
      chunk({}, "tool_calls"),
    ])
      events.push(...t.push(item));
    events.push(...t.finish());
    const response = checkSequence(events);
    expect(response.output).toMatchObject([
      {
        type: "custom_tool_call",
        call_id: "call_a",
        name: "apply_patch",
        input: "*** Begin Patch",
      },
      {
        type: "function_call",
        call_id: "call_b",
        name: "spawn",
        namespace: "ns",
        arguments: '{"task":"x"}',
      },
    ]);
    const types = events.map((e) => e.type);
    // The custom call's JSON wrapper never reaches the client as argument deltas.
    expect(
      events.filter(
        (e) => e.type === "response.function_call_arguments.delta" && e.output_index === 0,
      ),
    ).toEqual([]);
    expect(types).toContain("response.custom_tool_call_input.done");
  });
});
