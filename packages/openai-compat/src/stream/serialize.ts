import type { AnthropicStreamEvent } from "../types/anthropic.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";
import { OPENAI_STREAM_DONE } from "./stream-errors.js";

const DONE_LINE = `data: ${OPENAI_STREAM_DONE}\n\n`;

/**
 * Serialises one OpenAI stream item as SSE: `data: <json>\n\n`, or `data: [DONE]\n\n`.
 *
 * @example
 * res.write(serializeOpenAIStreamItem(chunk));
 */
export function serializeOpenAIStreamItem(item: OpenAIStreamItem): string {
  return item === OPENAI_STREAM_DONE ? DONE_LINE : `data: ${JSON.stringify(item)}\n\n`;
}

/**
 * Serialises one Anthropic stream event as SSE: `event: <type>\ndata: <json>\n\n`.
 *
 * @example
 * res.write(serializeAnthropicStreamEvent({ type: "message_stop" }));
 */
export function serializeAnthropicStreamEvent(event: AnthropicStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Parses the `data` of one OpenAI SSE event: `[DONE]` or a JSON chunk/error object. */
export function parseOpenAIStreamData(data: string): OpenAIStreamItem {
  if (data === OPENAI_STREAM_DONE || (data.length < 16 && data.trim() === OPENAI_STREAM_DONE)) {
    return OPENAI_STREAM_DONE;
  }
  return JSON.parse(data) as OpenAIStreamItem;
}

/** Parses the `data` of one Anthropic SSE event. */
export function parseAnthropicStreamData(data: string): AnthropicStreamEvent {
  return JSON.parse(data) as AnthropicStreamEvent;
}
