import type { ResponsesResponse } from "../types/responses.js";
import { quote } from "./json-quote.js";
import { hasKeys, isPlainObject } from "./json-shape.js";
import { JsonTextCache } from "./json-text-cache.js";
import { outputJson } from "./responses-message-json.js";

/**
 * `JSON.stringify` for a `Response` object in the shape the translators and converters build
 * it (`createResponseShell`'s keys in its order, then `output_text`), written from a template:
 * `JSON.stringify` walks the whole object (about 2 µs for an empty shell, once for
 * `response.created` and again for the terminal event) where most values are `null`, a
 * boolean, a short string or the shell's defaults. The object must have exactly those keys in
 * that order; a value `JSON.stringify` would leave out or write through a `toJSON` (undefined,
 * a function, a symbol, an object with `toJSON`) gives undefined, for `JSON.stringify` to
 * write the whole response. Anything else is the same bytes.
 */

/**
 * The JSON of a value echoed from the request (`instructions`, `tools`, …) under `key`, from a
 * stream's cache of echoes; undefined leaves it to {@link valueJson}.
 */
export type EchoWriter = (key: string, value: unknown) => string | undefined;

/** `{ format: { type: "text" } }`, the shell's default `text`. */
function isTextFormat(value: object): boolean {
  if (!isPlainObject(value) || !hasKeys(value, FORMAT)) return false;
  const format = value.format;
  return isPlainObject(format) && hasKeys(format, TYPE) && format.type === "text";
}
const FORMAT = ["format"];
const TYPE = ["type"];
const NONE: string[] = [];

/**
 * The JSON of `value` as `JSON.stringify` writes it as an object's value: undefined when it
 * would leave the key out or call a `toJSON` on it (which is told the key).
 */
export function valueJson(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Number.isFinite(value) ? `${value}` : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
      if (Array.isArray(value)) return value.length === 0 ? "[]" : JSON.stringify(value);
      if (isPlainObject(value) && hasKeys(value, NONE)) return "{}";
      if (isTextFormat(value)) return '{"format":{"type":"text"}}';
      return JSON.stringify(value);
    }
    default:
      // undefined, a function or a symbol is left out of an object; a bigint throws.
      return undefined;
  }
}

/** Output items: a message item from its template, any other through `texts`. */
function outputValueJson(value: unknown, texts: JsonTextCache): string | undefined {
  return Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== "function"
    ? outputJson(value, texts)
    : valueJson(value);
}

/** `output_text`: the text the closing events wrote, from the cache when it holds it. */
function outputTextJson(value: unknown, texts: JsonTextCache): string | undefined {
  if (typeof value !== "string") return valueJson(value);
  // Most often the one text the closing events wrote: its JSON is known (`stringify` looks a
  // longer text up there first itself).
  if (value.length > 64) return texts.stringify(value);
  return texts.recalled(value) ?? quote(value);
}

/** A status's JSON: the four a response has, without a scan; any other string quoted. */
function statusJson(value: unknown): string {
  switch (value) {
    case "in_progress":
      return '"in_progress"';
    case "completed":
      return '"completed"';
    case "incomplete":
      return '"incomplete"';
    case "failed":
      return '"failed"';
    default:
      return stringJson(value);
  }
}

const USAGE = [
  "input_tokens",
  "input_tokens_details",
  "output_tokens",
  "output_tokens_details",
  "total_tokens",
];
const CACHED = ["cached_tokens"];
const CACHED_AND_WRITTEN = ["cached_tokens", "cache_write_tokens"];
const REASONING = ["reasoning_tokens"];
const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);

/** `input_tokens_details` as the usage converters build it, else undefined. */
function inputDetailsJson(value: unknown): string | undefined {
  if (!isPlainObject(value) || !isCount(value.cached_tokens)) return undefined;
  if (hasKeys(value, CACHED)) return `{"cached_tokens":${value.cached_tokens}}`;
  if (hasKeys(value, CACHED_AND_WRITTEN) && isCount(value.cache_write_tokens))
    return `{"cached_tokens":${value.cached_tokens},"cache_write_tokens":${value.cache_write_tokens}}`;
  return undefined;
}

/** Usage in the shape the usage converters build (five finite counts), else any value. */
function usageJson(value: unknown): string | undefined {
  if (!isPlainObject(value) || !hasKeys(value, USAGE)) return valueJson(value);
  const { input_tokens: input, output_tokens: out, total_tokens: total } = value;
  const details = inputDetailsJson(value.input_tokens_details);
  const reasoning = value.output_tokens_details;
  if (!isCount(input) || !isCount(out) || !isCount(total)) return JSON.stringify(value);
  if (details === undefined) return JSON.stringify(value);
  if (
    !isPlainObject(reasoning) ||
    !hasKeys(reasoning, REASONING) ||
    !isCount(reasoning.reasoning_tokens)
  )
    return JSON.stringify(value);
  return `{"input_tokens":${input},"input_tokens_details":${details},"output_tokens":${out},"output_tokens_details":{"reasoning_tokens":${reasoning.reasoning_tokens}},"total_tokens":${total}}`;
}

/** The shell's keys in order, then `output_text`, which a finished response adds. */
const KEYS = [
  "id",
  "object",
  "created_at",
  "status",
  "error",
  "incomplete_details",
  "instructions",
  "max_output_tokens",
  "model",
  "output",
  "parallel_tool_calls",
  "previous_response_id",
  "reasoning",
  "store",
  "temperature",
  "text",
  "tool_choice",
  "tools",
  "top_p",
  "usage",
  "metadata",
  "output_text",
];

/** Thrown inside {@link responseObjectJson} when a value is not for the template. */
const DECLINE = Symbol("decline");
const must = (json: string | undefined): string => {
  if (json === undefined) throw DECLINE;
  return json;
};

/**
 * The JSON of the values the responses of one stream share (the id, the model, the request's
 * echoes), as the last response written had them: the terminal event's response is the
 * created one with a status, output and usage, and reuses that JSON while every one of those
 * values is the very same.
 */
export class ResponseSegments {
  /** id, object, created_at, instructions, max_output_tokens, model, then the rest in order. */
  values: unknown[] = [];
  /** `{"id":…,"status":`, `,"instructions":…,"output":`, `,"parallel_tool_calls":…,"usage":`, `,"metadata":…`. */
  json: string[] = [];
}

/** True when `r` holds the very values `segments` were written for. */
function sameValues(r: ResponsesResponse, v: unknown[]): boolean {
  return (
    v.length === 16 &&
    v[0] === r.id &&
    v[1] === r.object &&
    v[2] === r.created_at &&
    v[3] === r.instructions &&
    v[4] === r.max_output_tokens &&
    v[5] === r.model &&
    v[6] === r.parallel_tool_calls &&
    v[7] === r.previous_response_id &&
    v[8] === r.reasoning &&
    v[9] === r.store &&
    v[10] === r.temperature &&
    v[11] === r.text &&
    v[12] === r.tool_choice &&
    v[13] === r.tools &&
    v[14] === r.top_p &&
    v[15] === r.metadata
  );
}

/**
 * The JSON from `parallel_tool_calls` to the `usage` key when every value between is the
 * shell's default (nothing echoed from the request): one flat string, the same bytes
 * `valueJson` writes for each default.
 */
const DEFAULT_MIDDLE =
  ',"parallel_tool_calls":true,"previous_response_id":null,"reasoning":null,"store":false,"temperature":null,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":null,"usage":';
const EMPTY_METADATA = ',"metadata":{}';
/** `error` and `incomplete_details` both null (a response in progress or completed). */
const NO_OUTCOME = ',"error":null,"incomplete_details":null';

/** An empty array `JSON.stringify` writes as `[]` (no `toJSON`). */
const isEmptyArray = (value: unknown): boolean =>
  Array.isArray(value) &&
  value.length === 0 &&
  typeof (value as { toJSON?: unknown }).toJSON !== "function";

/** True when `r`'s values from `parallel_tool_calls` to `top_p` are the shell's defaults. */
function hasDefaultMiddle(r: ResponsesResponse): boolean {
  return (
    r.parallel_tool_calls === true &&
    r.previous_response_id === null &&
    r.reasoning === null &&
    r.store === false &&
    r.temperature === null &&
    r.tool_choice === "auto" &&
    r.top_p === null &&
    isEmptyArray(r.tools) &&
    typeof r.text === "object" &&
    r.text !== null &&
    isTextFormat(r.text)
  );
}

/** A string's JSON ({@link quote} for the short ones), else any value's. */
const stringJson = (value: unknown): string =>
  typeof value === "string" ? quote(value) : must(valueJson(value));

/** `null`, else any value's JSON. */
const nullableJson = (value: unknown): string => (value === null ? "null" : must(valueJson(value)));

/** The JSON around the values that change, for `r` (see {@link ResponseSegments}). */
function segmentsJson(r: ResponsesResponse, echo: EchoWriter | undefined): string[] {
  // An echoed value: from the cache, else as any value.
  const echoed = (key: string, value: unknown) =>
    value === null ? "null" : must(echo?.(key, value) ?? valueJson(value));
  const metadata = r.metadata;
  return [
    `{"id":${stringJson(r.id)},"object":${r.object === "response" ? '"response"' : must(valueJson(r.object))},"created_at":${must(valueJson(r.created_at))},"status":`,
    `,"instructions":${echoed("instructions", r.instructions)},"max_output_tokens":${nullableJson(r.max_output_tokens)},"model":${stringJson(r.model)},"output":`,
    hasDefaultMiddle(r)
      ? DEFAULT_MIDDLE
      : `,"parallel_tool_calls":${must(valueJson(r.parallel_tool_calls))},"previous_response_id":${nullableJson(r.previous_response_id)},"reasoning":${echoed("reasoning", r.reasoning)},"store":${must(valueJson(r.store))},"temperature":${nullableJson(r.temperature)},"text":${echoed("text", r.text)},"tool_choice":${echoed("tool_choice", r.tool_choice)},"tools":${echoed("tools", r.tools)},"top_p":${nullableJson(r.top_p)},"usage":`,
    isPlainObject(metadata) && hasKeys(metadata, NONE)
      ? EMPTY_METADATA
      : `,"metadata":${echoed("metadata", metadata)}`,
  ];
}

/**
 * `JSON.stringify(response)` for a response in the shell's shape (see the top of this file);
 * undefined for any other. `echo` may write the values echoed from the request from a cache;
 * `segments` keeps the JSON of the values a stream's responses share.
 */
export function responseObjectJson(
  response: unknown,
  texts: JsonTextCache,
  echo?: EchoWriter,
  segments?: ResponseSegments,
): string | undefined {
  if (!isPlainObject(response)) return undefined;
  // The keys in order, with or without the last (`output_text`).
  let count = 0;
  for (const key in response) if (key !== KEYS[count++]) return undefined;
  if (count < KEYS.length - 1) return undefined;
  const r = response as unknown as ResponsesResponse;
  try {
    let json: string[];
    if (segments !== undefined && sameValues(r, segments.values)) json = segments.json;
    else {
      json = segmentsJson(r, echo);
      if (segments !== undefined) {
        segments.json = json;
        segments.values = [
          r.id,
          r.object,
          r.created_at,
          r.instructions,
          r.max_output_tokens,
          r.model,
          r.parallel_tool_calls,
          r.previous_response_id,
          r.reasoning,
          r.store,
          r.temperature,
          r.text,
          r.tool_choice,
          r.tools,
          r.top_p,
          r.metadata,
        ];
      }
    }
    return writeResponse(json, r, texts, count === KEYS.length);
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

/**
 * The JSON around the values that change (see {@link ResponseSegments}) of a stream's
 * response, written once when it starts: its id, model and the request's echoes stay the same
 * all stream long. Undefined when a value is not for the template.
 */
export function responseSegmentsJson(response: ResponsesResponse): string[] | undefined {
  try {
    return segmentsJson(response, undefined);
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

/**
 * `JSON.stringify` of a response fresh from `createResponseShell` whose segments are
 * `segments` ({@link responseSegmentsJson} of a shell made from the same options): in
 * progress, no outcome, no output, no usage. The template alone, nothing of the shell read.
 */
export const startedResponseJson = (segments: readonly string[]): string =>
  `${segments[0]}"in_progress"${NO_OUTCOME}${segments[1]}[]${segments[2]}null${segments[3]}}`;

/**
 * `JSON.stringify(response)` for a response a stream translator built with
 * `createResponseShell` (its keys in order, `output_text` last when it was set) and has kept
 * the values of {@link responseSegmentsJson} since: `segments`, with the values that change
 * (status, outcome, output, usage, `output_text`) written between them. Undefined for a value
 * the template does not write.
 */
export function streamResponseJson(
  segments: readonly string[],
  r: ResponsesResponse,
  texts: JsonTextCache,
): string | undefined {
  try {
    return writeResponse(segments, r, texts, r.output_text !== undefined);
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

/** The response's JSON from its segments (throws {@link DECLINE}). */
function writeResponse(
  json: readonly string[],
  r: ResponsesResponse,
  texts: JsonTextCache,
  withText: boolean,
): string {
  const text = withText ? `,"output_text":${must(outputTextJson(r.output_text, texts))}` : "";
  const outcome =
    r.error === null && r.incomplete_details === null
      ? NO_OUTCOME
      : `,"error":${must(valueJson(r.error))},"incomplete_details":${must(valueJson(r.incomplete_details))}`;
  return `${json[0]}${statusJson(r.status)}${outcome}${json[1]}${must(outputValueJson(r.output, texts))}${json[2]}${must(usageJson(r.usage))}${json[3]}${text}}`;
}

/**
 * Serialises a `Response` object (a non-streamed answer) as `JSON.stringify` does, from the
 * template when it has the shell's shape.
 *
 * @example
 * res.end(serializeResponsesResponse(convertAnthropicResponseToResponses(message)));
 */
export function serializeResponsesResponse(response: object): string {
  return responseObjectJson(response, new JsonTextCache()) ?? JSON.stringify(response);
}
