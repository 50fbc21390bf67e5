import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createResponseShell } from "../internal/response-shell.js";
import type {
  ResponsesRequest,
  ResponsesResponse,
  ResponsesStreamEvent,
} from "../types/responses.js";
import { JsonTextCache } from "./json-text-cache.js";
import {
  responseObjectJson,
  responseSegmentsJson,
  serializeResponsesResponse,
  startedResponseJson,
  streamResponseJson,
  valueJson,
} from "./responses-response-json.js";
import {
  createResponsesStreamSerializer,
  serializeResponsesStreamEvent,
} from "./serialize-responses.js";

/** Strings that need escaping, or not: ASCII, quotes, controls, unicode, lone surrogates. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", "auto", 'a"b', "a\\b", "\u2028", "\ud800", "é", "x".repeat(70)),
);

/** Values JSON.stringify writes in odd ways, or not at all. */
const odd = fc.constantFrom(
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  1.5e300,
  () => 1,
  Symbol("s"),
  new Date(0),
  { toJSON: (key: string) => `key:${key}` },
  Object.assign([], { toJSON: () => "array" }),
  Object.create({ inherited: 1 }),
  { format: { type: "text" }, extra: 1 },
  { format: { type: "json_object" } },
  { format: { type: "text", toJSON: () => 1 } },
);

const value = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue() },
  { weight: 2, arbitrary: text },
  { weight: 2, arbitrary: odd },
  { weight: 1, arbitrary: fc.constantFrom(null, [], {}, { format: { type: "text" } }) },
);

const part = fc.record({
  type: fc.constant("output_text"),
  text,
  annotations: fc.constant([]),
  logprobs: fc.constant([]),
});
const item = fc.oneof(
  fc.record({
    type: fc.constant("message"),
    id: text,
    role: fc.constant("assistant"),
    status: fc.constantFrom("completed", "incomplete"),
    content: fc.array(part, { maxLength: 1 }),
  }),
  fc.record({ type: fc.constant("function_call"), id: text, call_id: text, arguments: text }),
  value,
);

const counts = fc.oneof(fc.nat(), fc.double(), odd);
const usage = fc.oneof(
  fc.record({
    input_tokens: counts,
    input_tokens_details: fc.oneof(
      fc.record({ cached_tokens: counts }),
      fc.record({ cached_tokens: counts, cache_write_tokens: counts }),
      fc.record({ cached_tokens: counts, cache_write_tokens: counts, extra: counts }),
    ),
    output_tokens: counts,
    output_tokens_details: fc.record({ reasoning_tokens: counts }),
    total_tokens: counts,
  }),
  value,
);

/** The response as it is, or without `output_text` (a response before it finished). */
const withOrWithoutText = (r: Record<string, unknown>) =>
  fc.boolean().map((withText) => {
    if (withText) return r;
    const { output_text: _, ...shell } = r;
    return shell;
  });

/** A response in the shell's key order: any value under any key, `output_text` or not. */
const response = fc
  .record({
    id: value,
    object: fc.oneof(fc.constant("response"), value),
    created_at: fc.oneof(fc.nat(), value),
    status: fc.oneof(fc.constantFrom("in_progress", "completed", "failed"), value),
    error: value,
    incomplete_details: value,
    instructions: value,
    max_output_tokens: value,
    model: fc.oneof(text, value),
    output: fc.oneof({ weight: 4, arbitrary: fc.array(item, { maxLength: 3 }) }, value),
    parallel_tool_calls: value,
    previous_response_id: value,
    reasoning: value,
    store: value,
    temperature: value,
    text: value,
    tool_choice: value,
    tools: fc.oneof(fc.array(value, { maxLength: 3 }), value),
    top_p: value,
    usage,
    metadata: value,
    output_text: fc.oneof(text, value),
  })
  .chain(withOrWithoutText);

/** The shell's value for `key` (nothing echoed) most of the time, any value otherwise. */
const mostly = (shellValue: unknown) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(shellValue) }, { weight: 1, arbitrary: value });

/**
 * A response whose values are mostly the shell's defaults (the common answer to a request that
 * echoes nothing), each one sometimes replaced by any value: the template's shortcuts for the
 * defaults are taken, and missed by one differing value.
 */
const nearShell = fc
  .record({
    id: fc.oneof(text, value),
    object: mostly("response"),
    created_at: fc.oneof(fc.nat(), value),
    status: fc.oneof(fc.constantFrom("in_progress", "completed"), value),
    error: mostly(null),
    incomplete_details: mostly(null),
    instructions: mostly(null),
    max_output_tokens: mostly(null),
    model: fc.oneof(text, value),
    output: fc.oneof({ weight: 4, arbitrary: fc.array(item, { maxLength: 2 }) }, value),
    parallel_tool_calls: mostly(true),
    previous_response_id: mostly(null),
    reasoning: mostly(null),
    store: mostly(false),
    temperature: mostly(null),
    text: fc.oneof(
      { weight: 4, arbitrary: fc.constant(null).map(() => ({ format: { type: "text" } })) },
      { weight: 1, arbitrary: value },
    ),
    tool_choice: mostly("auto"),
    tools: fc.oneof(
      { weight: 4, arbitrary: fc.constant(null).map(() => []) },
      { weight: 1, arbitrary: value },
    ),
    top_p: mostly(null),
    usage,
    metadata: fc.oneof(
      { weight: 4, arbitrary: fc.constant(null).map(() => ({})) },
      { weight: 1, arbitrary: value },
    ),
    output_text: fc.oneof(text, value),
  })
  .chain(withOrWithoutText);

const stringifyOrThrow = (v: unknown) => {
  try {
    return JSON.stringify(v);
  } catch (error) {
    return error;
  }
};

describe("responseObjectJson", () => {
  it.each([
    ["any value under the shell's keys", response],
    ["a response of mostly the shell's defaults", nearShell],
  ])("is JSON.stringify for %s, or declines", (_, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, (r) => {
        const json = responseObjectJson(r, new JsonTextCache());
        if (json !== undefined) expect(json).toBe(JSON.stringify(r));
        expect(serializeResponsesResponse(r)).toEqual(stringifyOrThrow(r));
      }),
      { numRuns: 600 },
    );
  });

  it("writes a shell and a finished response from the template", () => {
    const request: ResponsesRequest = {
      model: "m",
      input: "hi",
      instructions: 'Be "brief".',
      tools: [{ type: "function", name: "f", parameters: { type: "object" } }],
      metadata: { a: "b" },
    };
    for (const shell of [
      createResponseShell({ id: "resp_1", model: "m", createdAt: 1, request }),
      createResponseShell({ id: "resp_1", model: "m", createdAt: 1 }),
    ]) {
      expect(responseObjectJson(shell, new JsonTextCache())).toBe(JSON.stringify(shell));
      shell.status = "completed";
      shell.output = [
        {
          type: "message",
          id: "msg_1",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "Hi é", annotations: [], logprobs: [] }],
        },
      ];
      shell.output_text = "Hi é";
      shell.usage = {
        input_tokens: 3,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 2,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 5,
      };
      expect(responseObjectJson(shell, new JsonTextCache())).toBe(JSON.stringify(shell));
    }
  });

  it("a terminal response that is the created one finished: the shared JSON reused, the same bytes", () => {
    fc.assert(
      fc.property(response, response, (first, later) => {
        const serialize = createResponsesStreamSerializer();
        const { output_text: _, ...shell } = first as Record<string, unknown>;
        const sent = { ...shell, output: [] };
        const at = (type: string, r: object, n: number) =>
          ({ type, response: r, sequence_number: n }) as unknown as ResponsesStreamEvent;
        const created = at("response.created", sent, 0);
        if (typeof stringifyOrThrow(created) !== "string") return;
        expect(serialize(created)).toBe(serializeResponsesStreamEvent(created));
        // Finished as the translators finish it: status, output, usage changed in place.
        const live = shell as Record<string, unknown>;
        const next = later as Record<string, unknown>;
        for (const key of ["status", "error", "incomplete_details", "output", "usage"])
          live[key] = next[key];
        live.output_text = next.output_text;
        const done = at("response.completed", live, 1);
        if (typeof stringifyOrThrow(done) !== "string") return;
        expect(serialize(done)).toBe(serializeResponsesStreamEvent(done));
      }),
      { numRuns: 400 },
    );
  });

  it("a stream's template: segments written at the start, any finish, JSON.stringify's bytes or a decline", () => {
    fc.assert(
      fc.property(fc.oneof(response, nearShell), response, (first, later) => {
        const { output_text: _, ...shell } = first as Record<string, unknown>;
        const live = shell as unknown as ResponsesResponse;
        const segments = responseSegmentsJson(live);
        if (segments === undefined) return;
        const texts = new JsonTextCache();
        const sent = { ...shell, output: [] } as unknown as ResponsesResponse;
        const created = streamResponseJson(segments, sent, texts);
        if (created !== undefined) expect(created).toBe(JSON.stringify(sent));
        // Finished as the translators finish it: status, output, usage, output_text set.
        const next = later as Record<string, unknown>;
        const record = shell as Record<string, unknown>;
        for (const key of ["status", "error", "incomplete_details", "output", "usage"])
          record[key] = next[key];
        record.output_text = next.output_text;
        const done = streamResponseJson(segments, live, texts);
        if (done !== undefined) expect(done).toBe(JSON.stringify(live));
      }),
      { numRuns: 600 },
    );
  });

  it("a stream's started template is JSON.stringify of a fresh shell, for any request echoes", () => {
    const echoes = fc.record(
      {
        instructions: value,
        max_output_tokens: value,
        parallel_tool_calls: value,
        reasoning: value,
        temperature: value,
        text: value,
        tool_choice: value,
        tools: fc.oneof(fc.array(value, { maxLength: 3 }), value),
        top_p: value,
        metadata: value,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(text, value),
        fc.oneof(text, value),
        fc.nat(),
        echoes,
        (id, model, at, request) => {
          const options = {
            id: id as string,
            model: model as string,
            createdAt: at,
            request: request as unknown as ResponsesRequest,
          };
          const segments = responseSegmentsJson(createResponseShell(options));
          if (segments === undefined) return;
          expect(startedResponseJson(segments)).toBe(JSON.stringify(createResponseShell(options)));
        },
      ),
      { numRuns: 600 },
    );
  });

  it("a stream's template declines what JSON.stringify would not write as the template does", () => {
    const shell = createResponseShell({ id: "resp_1", model: "m", createdAt: 1 });
    expect(responseSegmentsJson({ ...shell, model: undefined as never })).toBeUndefined();
    expect(
      responseSegmentsJson({ ...shell, tools: { toJSON: () => [] } as never }),
    ).toBeUndefined();
    const segments = responseSegmentsJson(shell) as string[];
    const texts = new JsonTextCache();
    expect(streamResponseJson(segments, { ...shell, usage: undefined as never }, texts)).toBe(
      undefined,
    );
    expect(streamResponseJson(segments, shell, texts)).toBe(JSON.stringify(shell));
  });

  it("the stream serialiser writes a shell's large echo once per stream", () => {
    let calls = 0;
    const toJSON = () => {
      calls++;
      return { name: "f" };
    };
    const tools = [
      { type: "function", name: "f", toJSON },
      { type: "function", name: "g" },
    ];
    const request = { model: "m", input: "hi", tools } as unknown as ResponsesRequest;
    const shell = createResponseShell({ id: "r", model: "m", createdAt: 1, request });
    const sent = { ...shell, output: [] };
    const serialize = createResponsesStreamSerializer();
    const at = (type: string, response: object, n: number) =>
      ({ type, response, sequence_number: n }) as unknown as ResponsesStreamEvent;
    serialize(at("response.created", sent, 0));
    serialize(at("response.in_progress", sent, 1));
    shell.status = "completed";
    shell.output_text = "";
    const done = serialize(at("response.completed", shell, 2));
    expect(done).toBe(serializeResponsesStreamEvent(at("response.completed", shell, 2)));
    // Once for the stream, once more for the expected bytes just above.
    expect(calls).toBe(2);
  });

  it("declines a key JSON.stringify leaves out, or a value with toJSON, and another shape", () => {
    const shell = createResponseShell({ id: "r", model: "m", createdAt: 1 });
    const texts = new JsonTextCache();
    expect(responseObjectJson({ ...shell, instructions: undefined }, texts)).toBeUndefined();
    expect(responseObjectJson({ ...shell, metadata: new Date(0) }, texts)).toBeUndefined();
    const { usage: _, ...short } = shell;
    expect(responseObjectJson(short, texts)).toBeUndefined();
    expect(responseObjectJson({ ...shell, extra: 1 }, texts)).toBeUndefined();
  });

  it("valueJson is JSON.stringify of a value inside an object, or declines", () => {
    fc.assert(
      fc.property(value, (v) => {
        const json = valueJson(v);
        if (json !== undefined) expect(`{"k":${json}}`).toBe(JSON.stringify({ k: v }));
      }),
      { numRuns: 500 },
    );
  });

  it("lifecycle events of shell-shaped responses: the serialiser writes JSON.stringify's bytes", () => {
    fc.assert(
      fc.property(response, response, fc.nat(5), (created, terminal, seq) => {
        const serialize = createResponsesStreamSerializer();
        const events = [
          { type: "response.created", response: created, sequence_number: seq },
          { type: "response.in_progress", response: created, sequence_number: seq + 1 },
          { type: "response.completed", response: terminal, sequence_number: seq + 2 },
        ] as unknown as ResponsesStreamEvent[];
        for (const event of events) {
          const expected = stringifyOrThrow(event);
          if (typeof expected !== "string") continue;
          expect(serialize(event)).toBe(serializeResponsesStreamEvent(event));
        }
      }),
      { numRuns: 400 },
    );
  });
});
