import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ResponsesResponse, ResponsesStreamEvent } from "../types/responses.js";
import {
  createResponsesStreamSerializer,
  serializeResponsesStreamEvent,
} from "./serialize-responses.js";

const lifecycle = (type: string, response: object, sequence: number) =>
  ({ type, response, sequence_number: sequence }) as unknown as ResponsesStreamEvent;

/** A response-shaped object: echoed request values, output, usage, odd values included. */
const responses = fc.record(
  {
    id: fc.string(),
    status: fc.constantFrom("in_progress", "completed"),
    instructions: fc.oneof(fc.string(), fc.constant(null), fc.constant(undefined)),
    output: fc.array(fc.jsonValue(), { maxLength: 3 }),
    reasoning: fc.oneof(fc.jsonValue(), fc.constant(undefined)),
    text: fc.jsonValue(),
    tool_choice: fc.oneof(fc.constant("auto"), fc.jsonValue()),
    tools: fc.array(fc.jsonValue(), { maxLength: 3 }),
    usage: fc.jsonValue(),
    metadata: fc.dictionary(fc.string(), fc.string()),
    'odd"key\u2028': fc.string({ unit: "binary" }),
  },
  { requiredKeys: ["id", "status", "output", "tools"] },
);

describe("createResponsesStreamSerializer", () => {
  it("writes what serializeResponsesStreamEvent writes, echoed values reused or not", () => {
    fc.assert(
      fc.property(responses, responses, fc.boolean(), (first, other, sameEchoes) => {
        // The terminal response: new output and status; echoed values the same objects as
        // in the created snapshot, or (when a caller changes them) other ones.
        const shell = { ...first, output: [] };
        const terminal = sameEchoes
          ? { ...first, status: "completed", output: other.output, usage: other.usage }
          : { ...other };
        const events = [
          lifecycle("response.created", shell, 0),
          lifecycle("response.in_progress", shell, 1),
          { type: "response.output_text.delta", item_id: "m", delta: "x", sequence_number: 2 },
          lifecycle("response.completed", terminal, 3),
        ] as ResponsesStreamEvent[];
        const serialize = createResponsesStreamSerializer();
        for (const event of events) {
          expect(serialize(event)).toBe(serializeResponsesStreamEvent(event));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("writes closing events that repeat a long text as serializeResponsesStreamEvent does", () => {
    const texts = fc
      .constantFrom("a", '"\\', "é😀\u2028", "\n")
      .chain((unit) => fc.integer({ min: 1, max: 2500 }).map((n) => unit.repeat(n)));
    fc.assert(
      fc.property(texts, texts, fc.jsonValue(), (text, reasoning, usage) => {
        const part = { type: "output_text", text, annotations: [], logprobs: [] };
        const message = { type: "message", id: "m", status: "completed", content: [part] };
        const summary = { type: "summary_text", text: reasoning };
        const thought = { type: "reasoning", id: "r", summary: [summary] };
        const events = [
          { type: "response.reasoning_summary_text.done", item_id: "r", text: reasoning },
          { type: "response.reasoning_summary_part.done", item_id: "r", part: summary },
          { type: "response.output_item.done", output_index: 0, item: thought },
          { type: "response.output_text.done", item_id: "m", text, logprobs: [] },
          { type: "response.content_part.done", item_id: "m", part },
          { type: "response.output_item.done", output_index: 1, item: message },
          lifecycle(
            "response.completed",
            { id: "x", output: [thought, message], usage, output_text: text },
            6,
          ),
        ].map((e, i) => ({ ...e, sequence_number: i })) as unknown as ResponsesStreamEvent[];
        const serialize = createResponsesStreamSerializer();
        for (const event of events) {
          expect(serialize(event)).toBe(serializeResponsesStreamEvent(event));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("serialises a large echo of the request once per stream", () => {
    let calls = 0;
    const toJSON = () => {
      calls++;
      return { name: "f" };
    };
    const tool = { type: "function", name: "f", toJSON };
    const tools = [tool, { type: "function", name: "g" }];
    const shell = { id: "r", tools, output: [] } as unknown as ResponsesResponse;
    const serialize = createResponsesStreamSerializer();
    serialize(lifecycle("response.created", shell, 0));
    serialize(lifecycle("response.in_progress", shell, 1));
    const done = serialize(lifecycle("response.completed", { ...shell, output: [1] }, 2));
    expect(done).toContain('"tools":[{"name":"f"},{"type":"function","name":"g"}],"output":[1]');
    expect(calls).toBe(1);
  });
});
