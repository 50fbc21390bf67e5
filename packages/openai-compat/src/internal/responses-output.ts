import type { AnthropicStopReason, AnthropicUsage } from "../types/anthropic.js";
import type { ResponsesResponse, ResponsesUsage } from "../types/responses.js";

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/**
 * Anthropic usage as Responses usage: `input_tokens` counts cache reads and writes too (in
 * Responses, as in Chat Completions, input includes cached tokens); `cached_tokens` is the
 * cache reads, `cache_write_tokens` the cache writes (OpenAI's field, which Codex reads);
 * thinking tokens are the reasoning tokens.
 */
export function convertAnthropicUsageToResponses(usage: Partial<AnthropicUsage>): ResponsesUsage {
  const cached = count(usage.cache_read_input_tokens);
  const written = count(usage.cache_creation_input_tokens);
  const input = count(usage.input_tokens) + cached + written;
  const output = count(usage.output_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached, cache_write_tokens: written },
    output_tokens: output,
    output_tokens_details: {
      reasoning_tokens: count(usage.output_tokens_details?.thinking_tokens),
    },
    total_tokens: input + output,
  };
}

/**
 * The status an Anthropic `stop_reason` ends a response with: `max_tokens` (and a full
 * context window) `incomplete` / `max_output_tokens`, `refusal` `incomplete` /
 * `content_filter`, anything else `completed`.
 */
export function responsesStatusForStopReason(
  stopReason: AnthropicStopReason | (string & {}) | null | undefined,
): Pick<ResponsesResponse, "status" | "incomplete_details"> {
  if (stopReason === "max_tokens" || stopReason === "model_context_window_exceeded")
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (stopReason === "refusal")
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

/**
 * Item ids for one response: `generateId` when given, else the response id's random part with
 * a counter (`msg_<hex>1`, `fc_<hex>2`): unique without a random draw per item.
 */
export function itemIds(
  responseId: string,
  generateId: ((prefix: string) => string) | undefined,
): (prefix: string) => string {
  if (generateId !== undefined) return generateId;
  const base = responseId.slice(responseId.indexOf("_") + 1);
  let n = 0;
  return (prefix) => `${prefix}${base}${++n}`;
}
