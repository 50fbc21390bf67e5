import type { AnthropicUsage } from "./types/anthropic.js";
import type { OpenAIUsage } from "./types/openai.js";

/** A number, or 0 when the field is missing, null or not a finite number. */
function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/**
 * Converts Anthropic usage to OpenAI usage.
 *
 * Anthropic's `input_tokens` excludes cached tokens, OpenAI's `prompt_tokens` includes
 * them: `prompt_tokens = input + cache_read + cache_creation`, and
 * `prompt_tokens_details.cached_tokens = cache_read`. `output_tokens_details.thinking_tokens`
 * (when present) becomes `completion_tokens_details.reasoning_tokens`.
 */
export function convertAnthropicUsageToOpenAI(usage: Partial<AnthropicUsage>): OpenAIUsage {
  const cacheRead = count(usage.cache_read_input_tokens);
  const promptTokens =
    count(usage.input_tokens) + cacheRead + count(usage.cache_creation_input_tokens);
  const completionTokens = count(usage.output_tokens);
  const result: OpenAIUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
  const thinking = usage.output_tokens_details?.thinking_tokens;
  if (typeof thinking === "number") {
    result.completion_tokens_details = { reasoning_tokens: thinking };
  }
  return result;
}

/**
 * Converts OpenAI usage to Anthropic usage.
 *
 * `input_tokens = prompt_tokens - cached_tokens` (never below 0) and
 * `cache_read_input_tokens = cached_tokens`. OpenAI does not report cache writes, so
 * `cache_creation_input_tokens` is 0. `reasoning_tokens` becomes
 * `output_tokens_details.thinking_tokens` when present.
 */
export function convertOpenAIUsageToAnthropic(usage: Partial<OpenAIUsage>): AnthropicUsage {
  const cached = count(usage.prompt_tokens_details?.cached_tokens);
  const result: AnthropicUsage = {
    input_tokens: Math.max(0, count(usage.prompt_tokens) - cached),
    output_tokens: count(usage.completion_tokens),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === "number") {
    result.output_tokens_details = { thinking_tokens: reasoning };
  }
  return result;
}
