import {
  type ConvertOpenAIRequestOptions,
  convertOpenAIRequestToAnthropic,
} from "./convert-openai-request-to-anthropic.js";
import {
  type ConvertedResponsesRequest,
  convertResponsesRequestToOpenAI,
} from "./convert-responses-request-to-openai.js";
import type { AnthropicMessagesRequest } from "./types/anthropic.js";
import type { ResponsesRequest } from "./types/responses.js";

/** Options of {@link convertResponsesRequestToAnthropic}. */
export type ConvertResponsesToAnthropicOptions = ConvertOpenAIRequestOptions;

/**
 * Converts an OpenAI Responses request to an Anthropic Messages request, through the same
 * rules as Chat Completions (see `convertResponsesRequestToOpenAI` and
 * `convertOpenAIRequestToAnthropic`): `instructions` and system/developer messages become
 * `system`, `function_call`/`function_call_output` items `tool_use`/`tool_result` blocks
 * paired by `call_id`, `reasoning.effort` a thinking budget, `max_output_tokens`
 * `max_tokens`, `text.format` json_schema a schema instruction (or `output_config`).
 * `cache_control` on input parts is carried to the Anthropic blocks.
 *
 * @example
 * const { request, omitted } = convertResponsesRequestToAnthropic({
 *   model: "claude-sonnet-4-5",
 *   instructions: "Be brief.",
 *   input: "Hi",
 * });
 */
export function convertResponsesRequestToAnthropic(
  request: ResponsesRequest,
  options: ConvertResponsesToAnthropicOptions = {},
): ConvertedResponsesRequest<AnthropicMessagesRequest> {
  const chat = convertResponsesRequestToOpenAI(request, {
    maxTokensField: "max_completion_tokens",
  });
  // Anthropic has no stream options; the rest of the mapping is shared with Chat Completions.
  delete chat.request.stream_options;
  // `text.verbosity` is a soft hint with no Anthropic counterpart.
  delete chat.request.verbosity;
  const anthropic = convertOpenAIRequestToAnthropic(chat.request, options);
  return { request: anthropic, omitted: chat.omitted };
}
