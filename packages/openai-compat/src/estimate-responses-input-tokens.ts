import { convertResponsesRequestToOpenAI } from "./convert-responses-request-to-openai.js";
import { estimateOpenAIInputTokens } from "./count-tokens.js";
import type { ResponsesRequest } from "./types/responses.js";

/** The body of `POST /v1/responses/input_tokens`, as OpenAI answers it. */
export interface ResponsesInputTokenCount {
  object: "response.input_tokens";
  input_tokens: number;
}

/**
 * Estimates the input tokens of an OpenAI Responses request, as
 * `POST /v1/responses/input_tokens` reports them, for an upstream that cannot count. The
 * request is read as its Chat Completions translation and estimated with the same constants
 * as {@link estimateOpenAIInputTokens} (`instructions`, messages, images, files, function
 * calls and their outputs, tools). Items and hosted tools a translation leaves out are not
 * counted. Throws a `TranslationError` where the translation would (e.g. a
 * `previous_response_id`, whose history switchyard does not have).
 *
 * @example
 * estimateResponsesInputTokens({ model: "m", input: "Hello there" });
 * // { object: "response.input_tokens", input_tokens: 10 }
 */
export function estimateResponsesInputTokens(request: ResponsesRequest): ResponsesInputTokenCount {
  const { request: chat } = convertResponsesRequestToOpenAI(request);
  const { input_tokens } = estimateOpenAIInputTokens(chat);
  return { object: "response.input_tokens", input_tokens };
}
