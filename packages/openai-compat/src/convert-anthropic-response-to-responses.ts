import { convertAnthropicResponseToOpenAI } from "./convert-anthropic-response-to-openai.js";
import {
  type ConvertToResponsesOptions,
  convertOpenAIResponseToResponses,
} from "./convert-openai-response-to-responses.js";
import type { AnthropicMessage } from "./types/anthropic.js";
import type { ResponsesResponse } from "./types/responses.js";

/**
 * Converts an Anthropic `Message` to a Responses `Response`: thinking becomes a `reasoning`
 * item's summary, text a `message`, each `tool_use` a `function_call` whose `call_id` is
 * the `tool_use` id. `max_tokens` makes it `incomplete` (`max_output_tokens`), `refusal`
 * `incomplete` (`content_filter`). Usage counts cache reads and writes as input.
 *
 * @example
 * const response = convertAnthropicResponseToResponses(message, { request });
 */
export function convertAnthropicResponseToResponses(
  message: AnthropicMessage,
  options: ConvertToResponsesOptions = {},
): ResponsesResponse {
  const now = options.now ?? Date.now;
  return convertOpenAIResponseToResponses(convertAnthropicResponseToOpenAI(message, { now }), {
    ...options,
    now,
  });
}
