/**
 * Property tests from the Responses side: any valid Responses request (instructions, user and
 * assistant messages as strings or parts, function calls and their outputs) survives
 * Responses → Chat Completions → Responses and Responses → Messages → Chat → Responses
 * without losing text, tool calls or their `call_id` pairing; and a Responses event stream
 * survives Responses → Anthropic → Responses (the path of a Responses client on an Anthropic
 * upstream meeting a Responses-only upstream) with its text and every function call.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convertAnthropicRequestToOpenAI } from "./convert-anthropic-request-to-openai.js";
import { convertOpenAIRequestToResponses } from "./convert-openai-request-to-responses.js";
import { convertResponsesRequestToAnthropic } from "./convert-responses-request-to-anthropic.js";
import { convertResponsesRequestToOpenAI } from "./convert-responses-request-to-openai.js";
import { createAnthropicToResponsesStreamTranslator } from "./stream/anthropic-to-responses.js";
import { createResponsesToAnthropicStreamTranslator } from "./stream/responses-to-anthropic.js";
import type { ResponsesInputItem, ResponsesRequest } from "./types/responses.js";

const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== "");
const name = fc.stringMatching(/^[a-z][a-z_]{0,10}$/);
const args = fc
  .dictionary(name, fc.oneof(fc.integer(), text), { maxKeys: 3 })
  .map((o) => JSON.stringify(o));
const callId = fc.stringMatching(/^call_[a-zA-Z0-9]{6,12}$/);

/** A user message as a plain string or as `input_text` parts. */
const userMessage = fc.oneof(
  text.map((t): ResponsesInputItem => ({ role: "user", content: t })),
  fc.array(text, { minLength: 1, maxLength: 2 }).map(
    (ts): ResponsesInputItem => ({
      type: "message",
      role: "user",
      content: ts.map((t) => ({ type: "input_text" as const, text: t })),
    }),
  ),
);
const assistantMessage = text.map(
  (t): ResponsesInputItem => ({
    type: "message",
    role: "assistant",
    content: [{ type: "output_text", text: t, annotations: [] }],
  }),
);

/** After the first user message: an answer (maybe after function calls and their outputs). */
const turn = fc.oneof(
  fc.tuple(assistantMessage, userMessage).map((items) => items as ResponsesInputItem[]),
  fc
    .record({
      say: fc.option(assistantMessage, { nil: undefined }),
      calls: fc.uniqueArray(fc.record({ id: callId, name, args }), {
        minLength: 1,
        maxLength: 3,
        selector: (c) => c.id,
      }),
      outputs: fc.array(text, { minLength: 3, maxLength: 3 }),
      answer: assistantMessage,
      next: userMessage,
    })
    .map(({ say, calls, outputs, answer, next }): ResponsesInputItem[] => [
      ...(say === undefined ? [] : [say]),
      ...calls.map(
        (c): ResponsesInputItem => ({
          type: "function_call",
          call_id: c.id,
          name: c.name,
          arguments: c.args,
        }),
      ),
      ...calls.map(
        (c, i): ResponsesInputItem => ({
          type: "function_call_output",
          call_id: c.id,
          output: outputs[i]!,
        }),
      ),
      answer,
      next,
    ]),
);

/** A Responses request a client such as Codex could send (`store: false`, whole history). */
const request = fc
  .record({
    instructions: fc.option(text, { nil: undefined }),
    first: userMessage,
    turns: fc.array(turn, { maxLength: 4 }),
  })
  .map(
    ({ instructions, first, turns }): ResponsesRequest => ({
      model: "m",
      ...(instructions === undefined ? {} : { instructions }),
      input: [first, ...turns.flat()],
      store: false,
    }),
  );

type Essence =
  | { kind: "message"; role: string; text: string }
  | { kind: "call"; id: string; name: string; args: string }
  | { kind: "output"; id: string; output: string };

/** What must survive: the system text, each message's role and text, calls and their pairing. */
function essence(r: ResponsesRequest): Essence[] {
  const out: Essence[] = [];
  if (typeof r.instructions === "string")
    out.push({ kind: "message", role: "system", text: r.instructions });
  const items = typeof r.input === "string" ? [{ role: "user", content: r.input }] : r.input;
  for (const item of items ?? []) {
    const i = item as Record<string, unknown>;
    const type = i.type ?? "message";
    if (type === "function_call") {
      out.push({
        kind: "call",
        id: String(i.call_id),
        name: String(i.name),
        args: String(i.arguments),
      });
    } else if (type === "function_call_output") {
      out.push({ kind: "output", id: String(i.call_id), output: String(i.output) });
    } else if (type === "message") {
      const content = i.content;
      const texts =
        typeof content === "string"
          ? [content]
          : (content as Array<{ text?: string }>).map((p) => p.text ?? "");
      const role = i.role === "developer" ? "system" : String(i.role);
      out.push({ kind: "message", role, text: texts.join("\n") });
    }
  }
  // Consecutive messages of one role may be merged or split by a dialect: compare their text.
  const merged: Essence[] = [];
  for (const e of out) {
    const last = merged.at(-1);
    if (e.kind === "message" && last?.kind === "message" && last.role === e.role) {
      merged[merged.length - 1] = { ...last, text: `${last.text}\n${e.text}` };
    } else merged.push(e);
  }
  return merged;
}

describe("round trips that start from a Responses request (property)", () => {
  it("Responses → Chat Completions → Responses keeps text, function calls and call_id pairing", () => {
    fc.assert(
      fc.property(request, (original) => {
        const chat = convertResponsesRequestToOpenAI(original).request;
        const back = convertOpenAIRequestToResponses(chat);
        expect(essence(back)).toEqual(essence(original));
      }),
      { numRuns: 200 },
    );
  });

  it("Responses → Messages → Chat → Responses keeps text, function calls and call_id pairing", () => {
    fc.assert(
      fc.property(request, (original) => {
        const { request: anthropic, omitted } = convertResponsesRequestToAnthropic(original);
        expect(omitted).toEqual([]);
        const chat = convertAnthropicRequestToOpenAI({ ...anthropic, max_tokens: 100 });
        const back = convertOpenAIRequestToResponses(chat);
        expect(essence(back)).toEqual(essence(original));
      }),
      { numRuns: 200 },
    );
  });

  it("a Responses stream → Anthropic events → Responses events keeps the text and every call", () => {
    const piece = fc.oneof(
      text.map((t) => ({ text: t })),
      fc.record({ name, args }),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (pieces) => {
        const events = responsesStream(pieces);
        const toAnthropic = createResponsesToAnthropicStreamTranslator();
        const toResponses = createAnthropicToResponsesStreamTranslator();
        const out: Array<Record<string, unknown>> = [];
        for (const event of events)
          for (const a of toAnthropic.push(event as never))
            out.push(
              ...(toResponses.push(a as never) as unknown as Array<Record<string, unknown>>),
            );
        const final = out.at(-1) as {
          type: string;
          response: { output: Array<Record<string, unknown>> };
        };
        expect(final.type).toBe("response.completed");
        expect(
          out.filter((e) => /^response\.(completed|incomplete|failed)$/.test(String(e.type))),
        ).toHaveLength(1);
        const expectedText = pieces.flatMap((p) => ("text" in p ? [p.text] : [])).join("");
        const gotText = out
          .filter((e) => e.type === "response.output_text.delta")
          .map((e) => e.delta)
          .join("");
        expect(gotText).toBe(expectedText);
        const calls = final.response.output.filter((i) => i.type === "function_call");
        const expectedCalls = pieces.flatMap((p) => ("name" in p ? [[p.name, p.args]] : []));
        expect(calls.map((c) => [c.name, c.arguments])).toEqual(expectedCalls);
        // Each call keeps one id from its added event to the final response.
        const added = out
          .filter((e) => e.type === "response.output_item.added")
          .map((e) => e.item as Record<string, unknown>)
          .filter((i) => i.type === "function_call");
        expect(added.map((i) => i.call_id)).toEqual(calls.map((c) => c.call_id));
        expect(new Set(calls.map((c) => c.call_id)).size).toBe(calls.length);
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * A valid Responses event stream (as the API reference shapes it) for text pieces and
 * function calls, in order: each text piece in one message, each call its own item.
 */
function responsesStream(pieces: Array<{ text: string } | { name: string; args: string }>) {
  let seq = 0;
  const events: Array<Record<string, unknown>> = [];
  const emit = (type: string, body: Record<string, unknown>) =>
    events.push({ type, sequence_number: seq++, ...body });
  const shell = { id: "resp_1", object: "response", created_at: 1, model: "m", output: [] };
  emit("response.created", { response: { ...shell, status: "in_progress" } });
  emit("response.in_progress", { response: { ...shell, status: "in_progress" } });
  const output: Array<Record<string, unknown>> = [];
  pieces.forEach((p, index) => {
    if ("text" in p) {
      const id = `msg_${index}`;
      const item = { id, type: "message", role: "assistant", status: "in_progress", content: [] };
      emit("response.output_item.added", { output_index: index, item });
      const part = { type: "output_text", text: "", annotations: [] };
      emit("response.content_part.added", {
        item_id: id,
        output_index: index,
        content_index: 0,
        part,
      });
      emit("response.output_text.delta", {
        item_id: id,
        output_index: index,
        content_index: 0,
        delta: p.text,
      });
      emit("response.output_text.done", {
        item_id: id,
        output_index: index,
        content_index: 0,
        text: p.text,
      });
      const done = { ...part, text: p.text };
      emit("response.content_part.done", {
        item_id: id,
        output_index: index,
        content_index: 0,
        part: done,
      });
      const finished = { ...item, status: "completed", content: [done] };
      emit("response.output_item.done", { output_index: index, item: finished });
      output.push(finished);
    } else {
      const id = `fc_${index}`;
      const item = {
        id,
        type: "function_call",
        call_id: `call_${index}`,
        name: p.name,
        arguments: "",
        status: "in_progress",
      };
      emit("response.output_item.added", { output_index: index, item });
      emit("response.function_call_arguments.delta", {
        item_id: id,
        output_index: index,
        delta: p.args,
      });
      emit("response.function_call_arguments.done", {
        item_id: id,
        output_index: index,
        arguments: p.args,
      });
      const finished = { ...item, arguments: p.args, status: "completed" };
      emit("response.output_item.done", { output_index: index, item: finished });
      output.push(finished);
    }
  });
  const usage = {
    input_tokens: 5,
    output_tokens: 7,
    total_tokens: 12,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens_details: { reasoning_tokens: 0 },
  };
  emit("response.completed", { response: { ...shell, status: "completed", output, usage } });
  return events;
}
