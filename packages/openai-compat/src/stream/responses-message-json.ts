import { quote } from "./json-quote.js";
import { hasKeys, isPlainObject } from "./json-shape.js";
import type { JsonTextCache } from "./json-text-cache.js";

/**
 * `JSON.stringify` for the events of a streamed `message` item, written from templates: the
 * translators send every text answer through the same five events (`output_item.added`,
 * `content_part.added`, `output_text.done`, `content_part.done`, `output_item.done`), whose
 * keys and nesting never change. Each event is checked to have exactly that shape (the same
 * keys in the same order, plain objects, empty arrays, strings and numbers where the
 * translators put them); anything else gives undefined and goes to `JSON.stringify`, so the
 * bytes are `JSON.stringify`'s for any input. Strings go through the stream's
 * {@link JsonTextCache}, which knows the JSON of the texts the translator closed.
 */

type Writer = (value: unknown, texts: JsonTextCache) => string | undefined;

/** Keys in order, and the JSON before each value (`{"key":`, then `,"key":`). */
interface Shape {
  keys: readonly string[];
  heads: readonly string[];
  values: readonly Writer[];
}

function shape(members: ReadonlyArray<readonly [string, Writer]>): Shape {
  return {
    keys: members.map(([key]) => key),
    heads: members.map(([key], i) => `${i === 0 ? "{" : ","}${JSON.stringify(key)}:`),
    values: members.map(([, value]) => value),
  };
}

/** An array `JSON.stringify` writes element by element (no `toJSON`). */
const isPlainArray = (value: unknown): value is unknown[] =>
  Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== "function";

/** The JSON of `record` when its enumerable keys are exactly the shape's, in order. */
function shaped(record: unknown, s: Shape, texts: JsonTextCache): string | undefined {
  const { keys, heads, values } = s;
  if (!isPlainObject(record) || !hasKeys(record, keys)) return undefined;
  let out = "";
  for (let i = 0; i < keys.length; i++) {
    const json = (values[i] as Writer)(record[keys[i] as string], texts);
    if (json === undefined) return undefined;
    out += `${heads[i]}${json}`;
  }
  return `${out}}`;
}

/** A string: a short one as {@link quote} writes it, a long one through the text cache. */
const string: Writer = (value, texts) =>
  typeof value !== "string"
    ? undefined
    : value.length <= 64
      ? quote(value)
      : texts.stringify(value);

/** A finite number as `JSON.stringify` writes it (the same digits as `String`). */
const number: Writer = (value) =>
  typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;

const empty: Writer = (value) => (isPlainArray(value) && value.length === 0 ? "[]" : undefined);

/** A string's JSON (see {@link string}); `json` when it is `known`, its most common value. */
const stringOr = (value: unknown, known: string, json: string, texts: JsonTextCache) =>
  value === known ? json : string(value, texts);

const PART_KEYS = ["type", "text", "annotations", "logprobs"];

/**
 * An `output_text` part with no annotations and no logprobs, each key read by name (one
 * property load each, where a loop over the keys reads them all through one megamorphic load).
 */
const part: Writer = (value, texts) => {
  if (!isPlainObject(value) || !hasKeys(value, PART_KEYS)) return undefined;
  const type = stringOr(value.type, "output_text", '"output_text"', texts);
  const text = string(value.text, texts);
  if (type === undefined || text === undefined) return undefined;
  if (empty(value.annotations, texts) === undefined || empty(value.logprobs, texts) === undefined)
    return undefined;
  return `{"type":${type},"text":${text},"annotations":[],"logprobs":[]}`;
};

/** A message's content: no part, or one `output_text` part. */
const content: Writer = (value, texts) => {
  if (!isPlainArray(value) || value.length > 1) return undefined;
  if (value.length === 0) return "[]";
  const json = part(value[0], texts);
  return json === undefined ? undefined : `[${json}]`;
};

const MESSAGE_KEYS = ["type", "id", "role", "status", "content"];

/** A message item (`type`, `id`, `role`, `status`, `content`), each key read by name. */
const message: Writer = (value, texts) => {
  if (!isPlainObject(value) || !hasKeys(value, MESSAGE_KEYS)) return undefined;
  const type = stringOr(value.type, "message", '"message"', texts);
  const id = string(value.id, texts);
  const role = stringOr(value.role, "assistant", '"assistant"', texts);
  const status = stringOr(value.status, "completed", '"completed"', texts);
  const parts = content(value.content, texts);
  if (
    type === undefined ||
    id === undefined ||
    role === undefined ||
    status === undefined ||
    parts === undefined
  )
    return undefined;
  return `{"type":${type},"id":${id},"role":${role},"status":${status},"content":${parts}}`;
};

const ITEM_EVENT = shape([
  ["type", string],
  ["output_index", number],
  ["item", message],
  ["sequence_number", number],
]);
const PART_EVENT = shape([
  ["type", string],
  ["item_id", string],
  ["output_index", number],
  ["content_index", number],
  ["part", part],
  ["sequence_number", number],
]);
const TEXT_DONE_EVENT = shape([
  ["type", string],
  ["item_id", string],
  ["output_index", number],
  ["content_index", number],
  ["text", string],
  ["logprobs", empty],
  ["sequence_number", number],
]);

/**
 * `JSON.stringify(event)` for a message item's event in the translators' shape; undefined
 * for any other event or shape.
 */
export function messageEventJson(
  event: { type: string },
  texts: JsonTextCache,
): string | undefined {
  switch (event.type) {
    case "response.output_item.added":
    case "response.output_item.done":
      return shaped(event, ITEM_EVENT, texts);
    case "response.content_part.added":
    case "response.content_part.done":
      return shaped(event, PART_EVENT, texts);
    case "response.output_text.done":
      return shaped(event, TEXT_DONE_EVENT, texts);
    default:
      return undefined;
  }
}

/**
 * `JSON.stringify(output)` for a response's `output`: items whose JSON the translator handed
 * `texts` as it is, message items from their template, any other item through `texts`.
 */
export function outputJson(output: unknown, texts: JsonTextCache): string | undefined {
  if (!isPlainArray(output)) return texts.member("output", output);
  let out = "[";
  for (let i = 0; i < output.length; i++) {
    const item = output[i];
    // A hole, `undefined`, a function or a symbol is `null` in an array.
    const json =
      texts.recallObject(item) ?? message(item, texts) ?? texts.member(String(i), item) ?? "null";
    out += i === 0 ? json : `,${json}`;
  }
  return `${out}]`;
}
