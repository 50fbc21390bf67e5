// Types: OpenAI Chat Completions and Anthropic Messages wire formats.

// Shared mappings.
export {
  type ConvertFinishReasonOptions,
  convertAnthropicStopReasonToOpenAI,
  convertOpenAIFinishReasonToAnthropic,
} from "./stop-reason.js";
export type * from "./types/anthropic.js";
export type * from "./types/openai.js";
export { convertAnthropicUsageToOpenAI, convertOpenAIUsageToAnthropic } from "./usage.js";
