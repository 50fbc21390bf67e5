/**
 * The JSON of the Anthropic stream events a translator makes, byte-identical to
 * `JSON.stringify` but built from templates: `JSON.stringify` walks a whole event (about 1 µs
 * for a `message_start`) where only its strings need encoding. Every event is checked for
 * exactly the shape a template writes (own keys in `JSON.stringify`'s order, the types it
 * expects, plain objects only); anything else returns undefined for `JSON.stringify` to write.
 */
import { hasKeys, isPlainObject } from "./json-shape.js";

/** A block index as JSON writes it: a non-negative integer (`${n}` equals its JSON). */
const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
/** A finite number, whose `${n}` equals its JSON (`NaN` would be `null`). */
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
/** A string or null as JSON: `JSON.stringify` of a string is what it writes inside an object. */
const stringOrNull = (v: unknown) => (v === null ? "null" : JSON.stringify(v));

const TYPE = ["type"];
const TYPE_INDEX = ["type", "index"];
const DELTA_EVENT = ["type", "index", "delta"];
const START_EVENT = ["type", "index", "content_block"];
const MESSAGE_START = ["type", "message"];
const MESSAGE = ["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"];
const START_USAGE = ["input_tokens", "output_tokens"];
const MESSAGE_DELTA = ["type", "delta", "usage"];
const STOP = ["stop_reason", "stop_sequence"];
const TEXT = ["type", "text"];
const THINKING = ["type", "thinking", "signature"];
const TOOL_USE = ["type", "id", "name", "input"];
const NONE: string[] = [];
const THINKING_DELTA = ["type", "thinking"];
const JSON_DELTA = ["type", "partial_json"];

/** The `delta` of a `content_block_delta` with one string field, or undefined. */
function deltaJson(delta: unknown): string | undefined {
  if (!isPlainObject(delta)) return undefined;
  switch (delta.type) {
    case "text_delta":
      if (typeof delta.text !== "string" || !hasKeys(delta, TEXT)) return undefined;
      return `{"type":"text_delta","text":${JSON.stringify(delta.text)}}`;
    case "input_json_delta":
      if (typeof delta.partial_json !== "string" || !hasKeys(delta, JSON_DELTA)) return undefined;
      return `{"type":"input_json_delta","partial_json":${JSON.stringify(delta.partial_json)}}`;
    case "thinking_delta":
      if (typeof delta.thinking !== "string" || !hasKeys(delta, THINKING_DELTA)) return undefined;
      return `{"type":"thinking_delta","thinking":${JSON.stringify(delta.thinking)}}`;
    default:
      return undefined;
  }
}

/** A started block as the translators open it: empty text or thinking, a tool call with `{}`. */
function blockJson(block: Record<string, unknown>): string | undefined {
  switch (block.type) {
    case "text":
      if (typeof block.text !== "string" || !hasKeys(block, TEXT)) return undefined;
      return `{"type":"text","text":${JSON.stringify(block.text)}}`;
    case "thinking": {
      const { thinking, signature } = block;
      if (typeof thinking !== "string" || typeof signature !== "string") return undefined;
      if (!hasKeys(block, THINKING)) return undefined;
      return `{"type":"thinking","thinking":${JSON.stringify(thinking)},"signature":${JSON.stringify(signature)}}`;
    }
    case "tool_use": {
      const { id, name, input } = block;
      if (typeof id !== "string" || typeof name !== "string" || !hasKeys(block, TOOL_USE)) {
        return undefined;
      }
      if (!isPlainObject(input) || !hasKeys(input, NONE)) return undefined;
      return `{"type":"tool_use","id":${JSON.stringify(id)},"name":${JSON.stringify(name)},"input":{}}`;
    }
    default:
      return undefined;
  }
}

function messageStartJson(event: Record<string, unknown>): string | undefined {
  const m = event.message;
  if (!isPlainObject(m) || !hasKeys(event, MESSAGE_START) || !hasKeys(m, MESSAGE)) return undefined;
  const { id, model, content, usage } = m;
  if (typeof id !== "string" || typeof model !== "string") return undefined;
  if (m.type !== "message" || m.role !== "assistant") return undefined;
  if (!Array.isArray(content) || content.length !== 0) return undefined;
  if (m.stop_reason !== null || m.stop_sequence !== null) return undefined;
  if (!isPlainObject(usage) || !hasKeys(usage, START_USAGE)) return undefined;
  const input = usage.input_tokens;
  const output = usage.output_tokens;
  if (!isFiniteNumber(input) || !isFiniteNumber(output)) return undefined;
  return `{"type":"message_start","message":{"id":${JSON.stringify(id)},"type":"message","role":"assistant","model":${JSON.stringify(model)},"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":${input},"output_tokens":${output}}}}`;
}

function messageDeltaJson(event: Record<string, unknown>): string | undefined {
  const { delta, usage } = event;
  if (!isPlainObject(delta) || !isPlainObject(usage)) return undefined;
  if (!hasKeys(event, MESSAGE_DELTA) || !hasKeys(delta, STOP)) return undefined;
  const reason = delta.stop_reason;
  const sequence = delta.stop_sequence;
  if (reason !== null && typeof reason !== "string") return undefined;
  if (sequence !== null && typeof sequence !== "string") return undefined;
  // The usage object's keys vary with what the upstream reported: JSON.stringify writes it.
  return `{"type":"message_delta","delta":{"stop_reason":${stringOrNull(reason)},"stop_sequence":${stringOrNull(sequence)}},"usage":${JSON.stringify(usage)}}`;
}

/**
 * The JSON of `event` when it has one of the shapes the stream translators make
 * (`message_start`, `content_block_start` of a text, thinking or tool block, `content_block_delta` of text,
 * thinking or tool input, `content_block_stop`, `message_delta`, `message_stop`, `ping`),
 * byte-identical to `JSON.stringify(event)`; undefined for anything else.
 */
export function anthropicEventJson(event: { type: string }): string | undefined {
  const e = event as Record<string, unknown>;
  if (!isPlainObject(e)) return undefined;
  switch (event.type) {
    case "content_block_delta": {
      if (!isIndex(e.index) || !hasKeys(e, DELTA_EVENT)) return undefined;
      const delta = deltaJson(e.delta);
      return delta === undefined
        ? undefined
        : `{"type":"content_block_delta","index":${e.index},"delta":${delta}}`;
    }
    case "content_block_stop":
      return isIndex(e.index) && hasKeys(e, TYPE_INDEX)
        ? `{"type":"content_block_stop","index":${e.index}}`
        : undefined;
    case "content_block_start": {
      const block = e.content_block;
      if (!isIndex(e.index) || !isPlainObject(block) || !hasKeys(e, START_EVENT)) return undefined;
      const json = blockJson(block);
      return json === undefined
        ? undefined
        : `{"type":"content_block_start","index":${e.index},"content_block":${json}}`;
    }
    case "message_start":
      return messageStartJson(e);
    case "message_delta":
      return messageDeltaJson(e);
    case "message_stop":
      return hasKeys(e, TYPE) ? '{"type":"message_stop"}' : undefined;
    case "ping":
      return hasKeys(e, TYPE) ? '{"type":"ping"}' : undefined;
    default:
      return undefined;
  }
}
