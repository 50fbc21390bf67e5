import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anthropicMessageStart, splitAt, textDelta } from "../__fixtures__/stream-arbitraries.js";
import { createSseDecoder } from "../sse.js";
import { createSseReader } from "../sse-reader.js";
import type { AnthropicStreamEvent } from "../types/anthropic.js";
import type { ResponsesRequest, ResponsesStreamEvent } from "../types/responses.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";
import { createAnthropicToResponsesStreamTranslator } from "./anthropic-to-responses.js";
import { createOpenAIToResponsesStreamTranslator } from "./openai-to-responses.js";
import { parseAnthropicStreamData, parseOpenAIStreamData } from "./serialize.js";
import { serializeResponsesStreamEvent } from "./serialize-responses.js";

// The Responses translators take text deltas down a fast path that copies the text's JSON
// literal from the upstream chunk into a templated `response.output_text.delta` event without
// parsing the chunk. These properties drive random upstream streams (text with escapes and
// unicode, reasoning, tool calls, refusals, usage chunks, errors, truncation) cut at random
// byte boundaries through the fast path the proxy uses, and compare the result with the slow
// path: every event parsed, pushed and serialised with `serializeResponsesStreamEvent`. The
// fast path serialises with the translator's own `sse`, which writes closed texts from the
// literals they came in: texts are drawn long enough for that too.

/** A delta's text: short, or repeated to a few hundred characters. */
const text = fc.oneof(
  { weight: 3, arbitrary: textDelta },
  {
    weight: 1,
    arbitrary: fc
      .tuple(textDelta, fc.integer({ min: 2, max: 80 }))
      .map(([unit, times]) => unit.repeat(times)),
  },
);

const request: ResponsesRequest = {
  model: "gpt-x",
  input: "hi",
  instructions: "Be brief.",
  tools: [{ type: "function", name: "get_weather", parameters: { type: "object" } }],
};

function options() {
  let ids = 0;
  return {
    request,
    id: "resp_1",
    now: () => 1_763_748_000_500,
    generateId: (prefix: string) => `${prefix}${++ids}`,
  };
}

interface Translator<I> {
  push(item: I): ResponsesStreamEvent[];
  finish(): ResponsesStreamEvent[];
  textDeltaSse(data: string): string | undefined;
  textDeltaEventSse(text: string, start: number, end: number): string | undefined;
  textDeltaRunSse(text: string, start: number, end: number, out: string[]): number;
  sse(event: ResponsesStreamEvent): string;
  readonly done: boolean;
}

interface Case<I> {
  make: () => Translator<I>;
  parse: (data: string) => I;
}

/** The slow path: every SSE event parsed, pushed, serialised on its own. */
function slow<I>({ make, parse }: Case<I>, sse: string): string {
  const translator = make();
  let out = "";
  for (const message of createSseDecoder().push(sse)) {
    for (const event of translator.push(parse(message.data))) {
      out += serializeResponsesStreamEvent(event as never);
    }
  }
  for (const event of translator.finish()) out += serializeResponsesStreamEvent(event as never);
  return out;
}

/** The proxy's path: bytes split anywhere, fast path first, the translator's serialiser. */
function fast<I>({ make, parse }: Case<I>, parts: Uint8Array[]): string {
  const translator = make();
  const serialize = translator.sse;
  const decoder = createSseDecoder();
  let out = "";
  const one = (data: string) => {
    const sse = translator.textDeltaSse(data);
    if (sse !== undefined) out += sse;
    else for (const event of translator.push(parse(data))) out += serialize(event);
  };
  for (const part of parts) for (const message of decoder.push(part)) one(message.data);
  for (const message of decoder.end()) one(message.data);
  for (const event of translator.finish()) out += serialize(event);
  return out;
}

/**
 * The proxy's path today: an `SseReader` over the decoded chunks offering each whole event
 * raw (`textDeltaEventSse`) and the rows after it (`textDeltaRunSse`), parsing the rest.
 * `runs` counts the events the rows took.
 */
function read<I>({ make, parse }: Case<I>, parts: Uint8Array[], runs = { events: 0 }): string {
  const translator = make();
  const serialize = translator.sse;
  const write = (events: ResponsesStreamEvent[]) => {
    let out = "";
    for (const event of events) out += serialize(event);
    return out;
  };
  const reader = createSseReader({
    push: (data) => translator.textDeltaSse(data) ?? write(translator.push(parse(data))),
    raw: (text, start, end) => translator.textDeltaEventSse(text, start, end),
    rawRun(text, start, end, out) {
      const from = out.length;
      const after = translator.textDeltaRunSse(text, start, end, out);
      for (let i = from; i < out.length; i++)
        runs.events += (out[i] as string).split("event: response.output_text.delta\n").length - 1;
      return after;
    },
    get done() {
      return translator.done;
    },
  });
  const decoder = new TextDecoder();
  let out = "";
  for (const part of parts) out += reader.push(decoder.decode(part, { stream: true }));
  out += reader.push(decoder.decode());
  out += reader.end();
  return translator.done ? out : out + write(translator.finish());
}

/** The parsed `data` of every event, for comparing streams whose escapes may differ. */
const parsedEvents = (sse: string) =>
  createSseDecoder()
    .push(sse)
    .map((m) => JSON.parse(m.data));

// --- Chat Completions upstream -----------------------------------------------------------

const openAICase: Case<OpenAIStreamItem> = {
  make: () => createOpenAIToResponsesStreamTranslator(options()),
  parse: parseOpenAIStreamData,
};

type OpenAIStep =
  | { kind: "text"; text: string; role: boolean; pad: number }
  | { kind: "refusal"; text: string }
  | { kind: "reasoning"; text: string }
  | { kind: "tool"; slot: number; name: boolean; args: string }
  | { kind: "usage" }
  | { kind: "nulls"; text: string }
  | { kind: "spaced"; text: string }
  | { kind: "error" };

const openAIStep: fc.Arbitrary<OpenAIStep> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("text" as const),
      text,
      role: fc.boolean(),
      pad: fc.nat(3),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("refusal" as const), text }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reasoning" as const), text }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("tool" as const),
      slot: fc.nat(1),
      name: fc.boolean(),
      args: fc.constantFrom("", '{"city":', '"Paris"}', "{}", '"\\u00e9"'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("usage" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("nulls" as const), text }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("spaced" as const), text }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("error" as const) }) },
);

const openAIEnd = fc.constantFrom("done", "finish-only", "truncated", "length");

function openAIStream(steps: OpenAIStep[], end: string): string {
  const head = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-x" };
  const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
    `data: ${JSON.stringify({ ...head, ...extra, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let sse = chunk({ role: "assistant", content: "" });
  for (const step of steps) {
    if (step.kind === "text") {
      const delta = step.role ? { role: "assistant", content: step.text } : { content: step.text };
      sse += chunk(delta, null, step.pad > 0 ? { obfuscation: "x".repeat(step.pad) } : {});
    } else if (step.kind === "refusal") sse += chunk({ refusal: step.text });
    else if (step.kind === "reasoning") sse += chunk({ reasoning_content: step.text });
    else if (step.kind === "tool") {
      const fn = step.name
        ? { name: "get_weather", arguments: step.args }
        : { arguments: step.args };
      const call = step.name
        ? { index: step.slot, id: `call_${step.slot}`, function: fn }
        : { index: step.slot, function: fn };
      sse += chunk({ tool_calls: [call] });
    } else if (step.kind === "usage") {
      sse += `data: ${JSON.stringify({ ...head, choices: [], usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } })}\n\n`;
    } else if (step.kind === "nulls") {
      sse += `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: { content: step.text, refusal: null, tool_calls: null, reasoning: null }, finish_reason: null, logprobs: null }], usage: null })}\n\n`;
    } else if (step.kind === "spaced") {
      sse += `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: { content: step.text }, finish_reason: null }] }, null, 1).replaceAll("\n", " ")}\n\n`;
    } else
      sse += `data: ${JSON.stringify({ error: { message: "overloaded", type: "server_error" } })}\n\n`;
  }
  if (end === "truncated") return sse;
  sse += chunk({}, end === "length" ? "length" : "stop");
  return end === "finish-only" ? sse : `${sse}data: [DONE]\n\n`;
}

// --- Anthropic upstream ------------------------------------------------------------------

const anthropicCase: Case<AnthropicStreamEvent> = {
  make: () => createAnthropicToResponsesStreamTranslator(options()),
  parse: parseAnthropicStreamData,
};

type AnthropicStep =
  | { kind: "text"; texts: string[] }
  | { kind: "thinking"; texts: string[] }
  | { kind: "tool"; parts: readonly string[] }
  | { kind: "ping" }
  | { kind: "error" };

const texts = fc.array(text, { minLength: 1, maxLength: 5 });
const anthropicStep: fc.Arbitrary<AnthropicStep> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("text" as const), texts }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("thinking" as const), texts }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("tool" as const),
      parts: fc.constantFrom(['{"city":', '"Paris"}'], [], ["{}"]),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("ping" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("error" as const) }) },
);

function anthropicStream(steps: AnthropicStep[], end: string): string {
  const ev = (event: Record<string, unknown>) =>
    `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  let sse = ev(anthropicMessageStart());
  steps.forEach((step, index) => {
    if (step.kind === "ping") sse += ev({ type: "ping" });
    else if (step.kind === "error") {
      sse += ev({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    } else if (step.kind === "text") {
      sse += ev({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      for (const t of step.texts) {
        sse += ev({ type: "content_block_delta", index, delta: { type: "text_delta", text: t } });
      }
      sse += ev({ type: "content_block_stop", index });
    } else if (step.kind === "thinking") {
      sse += ev({
        type: "content_block_start",
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      });
      for (const t of step.texts) {
        sse += ev({
          type: "content_block_delta",
          index,
          delta: { type: "thinking_delta", thinking: t },
        });
      }
      sse += ev({ type: "content_block_stop", index });
    } else {
      sse += ev({
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: `toolu_${index}`, name: "get_weather", input: {} },
      });
      for (const p of step.parts) {
        sse += ev({
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: p },
        });
      }
      sse += ev({ type: "content_block_stop", index });
    }
  });
  if (end === "truncated") return sse;
  sse += ev({
    type: "message_delta",
    delta: { stop_reason: end === "length" ? "max_tokens" : "end_turn", stop_sequence: null },
    usage: { output_tokens: steps.length },
  });
  return end === "finish-only" ? sse : sse + ev({ type: "message_stop" });
}

/** Escapes written differently from `JSON.stringify` (`\u0041` for `A`, `\/`): same text. */
const reescape = (sse: string) =>
  sse.replaceAll(/(?<!\\)((?:\\\\)*)A/g, "$1\\u0041").replaceAll("/", "\\/");

describe("Responses fast path = slow path, byte for byte", () => {
  const cuts = fc.array(fc.nat(), { maxLength: 30 });

  // `fast`: each event's data through `textDeltaSse`; `read`: the reader's raw events and rows.
  it.each([
    { path: "data fast path", run: fast },
    { path: "reader's raw events and rows", run: read },
  ])("Chat Completions → Responses ($path): any stream, any chunk boundaries", ({ run }) => {
    fc.assert(
      fc.property(fc.array(openAIStep, { maxLength: 14 }), openAIEnd, cuts, (steps, end, at) => {
        const sse = openAIStream(steps, end);
        const got = run(openAICase, splitAt(new TextEncoder().encode(sse), at));
        expect(got).toBe(slow(openAICase, sse));
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    { path: "data fast path", run: fast },
    { path: "reader's raw events and rows", run: read },
  ])("Anthropic → Responses ($path): any stream, any chunk boundaries", ({ run }) => {
    fc.assert(
      fc.property(fc.array(anthropicStep, { maxLength: 8 }), openAIEnd, cuts, (steps, end, at) => {
        const sse = anthropicStream(steps, end);
        const got = run(anthropicCase, splitAt(new TextEncoder().encode(sse), at));
        expect(got).toBe(slow(anthropicCase, sse));
      }),
      { numRuns: 300 },
    );
  });

  it("translates a row of text deltas in one chunk at once, from either upstream", () => {
    const words = Array.from({ length: 12 }, (_, i) => `w${i} "q"\n`);
    // Padded differently chunk by chunk, as OpenAI sends them (rows need a varying shape).
    const chat = openAIStream(
      words.map((t, i) => ({ kind: "text", text: t, role: false, pad: 1 + (i % 3) })),
      "done",
    );
    const anthropic = anthropicStream([{ kind: "text", texts: words.slice(0, 5) }], "done");
    for (const [c, sse, rowed] of [
      [openAICase, chat, 10],
      [anthropicCase, anthropic, 4],
    ] as const) {
      const runs = { events: 0 };
      const got = read(c as Case<unknown>, [new TextEncoder().encode(sse)], runs);
      expect(got).toBe(slow(c as Case<unknown>, sse));
      // A row starts after a delta taken raw. Chat: the first delta, taken raw, opens the
      // item; the next one too (a run is tried once chunks changed shape twice).
      expect(runs.events).toBe(rowed);
    }
  });

  it("ends an Anthropic row at a delta of another block", () => {
    const ev = (event: Record<string, unknown>) =>
      `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    const delta = (index: number, text: string) =>
      ev({ type: "content_block_delta", index, delta: { type: "text_delta", text } });
    const start = (index: number) =>
      ev({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    // Two text blocks open at once (Anthropic never interleaves them; a faulty upstream may).
    const sse = `${ev(anthropicMessageStart())}${start(0)}${start(1)}${delta(0, "a")}${delta(0, "b")}${delta(1, "c")}${delta(0, "d")}${delta(1, "e")}${ev({ type: "content_block_stop", index: 0 })}${ev({ type: "content_block_stop", index: 1 })}${ev({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 5 } })}${ev({ type: "message_stop" })}`;
    const runs = { events: 0 };
    const got = read(anthropicCase, [new TextEncoder().encode(sse)], runs);
    expect(got).toBe(slow(anthropicCase, sse));
    expect(runs.events).toBe(1); // "b" after "a"; "c" of block 1 ends that row
  });

  it("escapes written another way: the same events, the same text", () => {
    fc.assert(
      fc.property(fc.array(openAIStep, { maxLength: 10 }), openAIEnd, (steps, end) => {
        const sse = reescape(openAIStream(steps, end));
        const bytes = new TextEncoder().encode(sse);
        expect(parsedEvents(fast(openAICase, [bytes]))).toEqual(
          parsedEvents(slow(openAICase, sse)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("takes the fast path for plain text deltas and ends a cut-off stream with response.failed", () => {
    const sse = openAIStream(
      [
        { kind: "text", text: "Hel", role: false, pad: 0 },
        { kind: "text", text: 'lo "😀"', role: false, pad: 1 },
      ],
      "truncated",
    );
    const translator = createOpenAIToResponsesStreamTranslator(options());
    const taken: boolean[] = [];
    for (const m of createSseDecoder().push(sse)) {
      const quick = translator.textDeltaSse(m.data);
      taken.push(quick !== undefined);
      if (quick === undefined) translator.push(parseOpenAIStreamData(m.data));
    }
    // The role chunk is parsed (it gives the response its model); the first text, which
    // opens the message item, takes the fast path too.
    expect(taken).toEqual([false, true, true]);
    const end = translator.finish();
    expect(end.at(-1)?.type).toBe("response.failed");
    const done = end.find((e) => e.type === "response.output_text.done");
    expect(done && "text" in done ? done.text : undefined).toBe('Hello "😀"');
  });
});
