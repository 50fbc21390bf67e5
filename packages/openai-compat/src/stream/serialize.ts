import type { AnthropicStreamEvent } from "../types/anthropic.js";
import type { OpenAIChatCompletionChunk } from "../types/openai.js";
import { anthropicEventJson } from "./anthropic-event-json.js";
import { smallAnthropicEvent } from "./anthropic-small-events.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";
import { flatString } from "./delta-frame.js";
import { hasKeys, isPlainObject } from "./json-shape.js";
import { OPENAI_STREAM_DONE } from "./stream-errors.js";

const DONE_LINE = `data: ${OPENAI_STREAM_DONE}\n\n`;
const CHUNK_KEYS = ["id", "object", "created", "model", "choices"];
const CHOICE_KEYS = ["index", "delta", "finish_reason"];

// The `{"id":…,"object":…,"created":…,"model":…,"choices":[` prefix is the same for every
// chunk of a stream: build it once and reuse it while id/created/model stay the same.
let prefixId: unknown;
let prefixCreated: unknown;
let prefixModel: unknown;
let prefix = "";

function chunkPrefix(chunk: OpenAIChatCompletionChunk): string {
  return openAIChunkPrefix(chunk.id, chunk.created, chunk.model);
}

/** `{"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[` for a stream. */
export function openAIChunkPrefix(id: string, created: number, model: string): string {
  if (id !== prefixId || created !== prefixCreated || model !== prefixModel) {
    prefixId = id;
    prefixCreated = created;
    prefixModel = model;
    // Flat: it is copied into every chunk of the stream.
    prefix = flatString(
      `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${JSON.stringify(created)},"model":${JSON.stringify(model)},"choices":[`,
    );
  }
  return prefix;
}

/**
 * The JSON of a one-choice chunk of the usual shape, byte-identical to `JSON.stringify` but
 * without re-encoding the id/model prefix per chunk; `undefined` for any other shape.
 */
function fastChunkJson(chunk: OpenAIChatCompletionChunk): string | undefined {
  if (chunk.object !== "chat.completion.chunk" || typeof chunk.id !== "string") return undefined;
  if (typeof chunk.model !== "string" || !Number.isFinite(chunk.created)) return undefined;
  const choices = chunk.choices;
  if (!Array.isArray(choices) || choices.length !== 1) return undefined;
  if (!isPlainObject(chunk) || !hasKeys(chunk, CHUNK_KEYS)) return undefined;
  const choice = choices[0];
  if (!isPlainObject(choice) || !hasKeys(choice, CHOICE_KEYS)) return undefined;
  if (!Number.isInteger(choice.index)) return undefined;
  const reason = choice.finish_reason;
  return `${chunkPrefix(chunk)}{"index":${choice.index},"delta":${JSON.stringify(choice.delta)},"finish_reason":${reason === null ? "null" : JSON.stringify(reason)}}]}`;
}

/**
 * Serialises one OpenAI stream item as SSE: `data: <json>\n\n`, or `data: [DONE]\n\n`.
 *
 * @example
 * res.write(serializeOpenAIStreamItem(chunk));
 */
export function serializeOpenAIStreamItem(item: OpenAIStreamItem): string {
  if (item === OPENAI_STREAM_DONE) return DONE_LINE;
  const json = "choices" in item ? fastChunkJson(item) : undefined;
  return `data: ${json ?? JSON.stringify(item)}\n\n`;
}

/**
 * Serialises one Anthropic stream event as SSE: `event: <type>\ndata: <json>\n\n`.
 *
 * @example
 * res.write(serializeAnthropicStreamEvent({ type: "message_stop" }));
 */
export function serializeAnthropicStreamEvent(event: AnthropicStreamEvent): string {
  return `event: ${event.type}\ndata: ${anthropicEventJson(event) ?? JSON.stringify(event)}\n\n`;
}

/** Parses the `data` of one OpenAI SSE event: `[DONE]` or a JSON chunk/error object. */
export function parseOpenAIStreamData(data: string): OpenAIStreamItem {
  if (data === OPENAI_STREAM_DONE || (data.length < 16 && data.trim() === OPENAI_STREAM_DONE)) {
    return OPENAI_STREAM_DONE;
  }
  return JSON.parse(data) as OpenAIStreamItem;
}

/** Parses the `data` of one Anthropic SSE event (the small fixed ones without `JSON.parse`). */
export function parseAnthropicStreamData(data: string): AnthropicStreamEvent {
  return smallAnthropicEvent(data) ?? (JSON.parse(data) as AnthropicStreamEvent);
}
