import type { AnthropicStopReason } from "./types/anthropic.js";
import type { OpenAIFinishReason } from "./types/openai.js";

/**
 * Maps an Anthropic `stop_reason` to an OpenAI `finish_reason`.
 *
 * `end_turn`, `stop_sequence` and `pause_turn` become `stop`; `max_tokens` and
 * `model_context_window_exceeded` become `length`; `tool_use` becomes `tool_calls`;
 * `refusal` becomes `content_filter`. Unknown or missing reasons become `null` for a
 * missing value and `stop` for an unknown one, so a client always sees a valid value.
 */
export function convertAnthropicStopReasonToOpenAI(
  stopReason: AnthropicStopReason | (string & {}) | null | undefined,
): OpenAIFinishReason | null {
  switch (stopReason) {
    case null:
    case undefined:
      return null;
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}

/** Options of {@link convertOpenAIFinishReasonToAnthropic}. */
export interface ConvertFinishReasonOptions {
  /** The stop sequence that ended generation, when known; turns `stop` into `stop_sequence`. */
  matchedStopSequence?: string | null;
}

/**
 * Maps an OpenAI `finish_reason` to an Anthropic `stop_reason`.
 *
 * `stop` becomes `end_turn` (or `stop_sequence` when `matchedStopSequence` is given),
 * `length` becomes `max_tokens`, `tool_calls`/`function_call` become `tool_use`,
 * `content_filter` becomes `refusal`. Missing becomes `null`; unknown becomes `end_turn`.
 */
export function convertOpenAIFinishReasonToAnthropic(
  finishReason: OpenAIFinishReason | (string & {}) | null | undefined,
  options: ConvertFinishReasonOptions = {},
): AnthropicStopReason | null {
  switch (finishReason) {
    case null:
    case undefined:
      return null;
    case "stop":
      return options.matchedStopSequence ? "stop_sequence" : "end_turn";
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}
