export {
  type ConvertAnthropicMessagesOptions,
  convertAnthropicMessagesToOpenAI,
} from "./convert-anthropic-messages-to-openai.js";
export {
  type ConvertAnthropicRequestOptions,
  convertAnthropicRequestToOpenAI,
} from "./convert-anthropic-request-to-openai.js";
export {
  type ConvertAnthropicResponseOptions,
  convertAnthropicResponseToOpenAI,
} from "./convert-anthropic-response-to-openai.js";
// OpenAI Responses API: requests, responses and streams, both ways.
export { convertAnthropicResponseToResponses } from "./convert-anthropic-response-to-responses.js";
// Non-streaming translation: types, requests, responses, errors, usage.
export {
  type AnthropicPrompt,
  type ConvertOpenAIMessagesOptions,
  convertOpenAIMessagesToAnthropic,
} from "./convert-openai-messages-to-anthropic.js";
export {
  type ConvertOpenAIRequestOptions,
  convertOpenAIRequestToAnthropic,
} from "./convert-openai-request-to-anthropic.js";
export {
  type ConvertOpenAIRequestToResponsesOptions,
  convertOpenAIRequestToResponses,
} from "./convert-openai-request-to-responses.js";
export {
  type ConvertOpenAIResponseOptions,
  convertOpenAIResponseToAnthropic,
} from "./convert-openai-response-to-anthropic.js";
export {
  type ConvertToResponsesOptions,
  convertOpenAIResponseToResponses,
  responsesStatusFor,
} from "./convert-openai-response-to-responses.js";
export {
  type ConvertResponsesToAnthropicOptions,
  convertResponsesRequestToAnthropic,
} from "./convert-responses-request-to-anthropic.js";
export {
  type ConvertedResponsesRequest,
  type ConvertResponsesRequestOptions,
  convertResponsesRequestToOpenAI,
} from "./convert-responses-request-to-openai.js";
export { convertResponsesResponseToOpenAI } from "./convert-responses-response-to-openai.js";
export {
  estimateInputTokens,
  estimateOpenAIInputTokens,
  estimateTextTokens,
  TOKEN_ESTIMATE,
  type TokenEstimate,
} from "./count-tokens.js";
export {
  anthropicErrorTypeForStatus,
  type CreateAnthropicErrorBodyOptions,
  type CreateOpenAIErrorBodyOptions,
  convertAnthropicErrorToOpenAI,
  convertOpenAIErrorToAnthropic,
  createAnthropicErrorBody,
  createOpenAIErrorBody,
  type OpenAIErrorKind,
  openAIErrorTypeForStatus,
  statusForAnthropicErrorType,
  type TranslatedError,
  TranslationError,
  type TranslationErrorCode,
  type TranslationErrorOptions,
} from "./errors.js";
export {
  estimateResponsesInputTokens,
  type ResponsesInputTokenCount,
} from "./estimate-responses-input-tokens.js";
export {
  convertOpenAIUsageToResponses,
  convertResponsesUsageToOpenAI,
} from "./internal/response-shell.js";
export {
  convertBudgetToReasoningEffort,
  convertReasoningEffortToBudget,
  DEFAULT_REASONING_BUDGETS,
  MIN_THINKING_BUDGET,
} from "./reasoning-effort.js";
export { REQUEST_LIMITS } from "./request-limits.js";
export { type JsonTextProblem, scanJsonText } from "./scan-json-text.js";
// Streams: SSE decoding/serialising and stateful stream translators, both directions.
export {
  createSseDecoder,
  type SseDecoder,
  type SseDecoderOptions,
  type SseEventInit,
  type SseMessage,
  serializeSseEvent,
} from "./sse.js";
export { createSseReader, type SseEventSink, type SseReader } from "./sse-reader.js";
// Types: OpenAI Chat Completions and Anthropic Messages wire formats.
export {
  type ConvertFinishReasonOptions,
  convertAnthropicStopReasonToOpenAI,
  convertOpenAIFinishReasonToAnthropic,
} from "./stop-reason.js";
export {
  type AnthropicToOpenAIStreamOptions,
  type AnthropicToOpenAIStreamTranslator,
  createAnthropicToOpenAIStreamTranslator,
  type OpenAIStreamItem,
} from "./stream/anthropic-to-openai.js";
export {
  type AnthropicToResponsesStreamTranslator,
  createAnthropicToResponsesStreamTranslator,
} from "./stream/anthropic-to-responses.js";
export {
  createTextDeltaEventScanner,
  isJsonStringLiteral,
  textDeltaLiteral,
} from "./stream/json-literal.js";
export {
  createOpenAITextDeltaEventScanner,
  createOpenAITextDeltaScanner,
  openAITextDeltaLiteral,
} from "./stream/openai-text-delta.js";
export {
  createOpenAIToAnthropicStreamTranslator,
  type OpenAIToAnthropicStreamOptions,
  type OpenAIToAnthropicStreamTranslator,
} from "./stream/openai-to-anthropic.js";
export { createOpenAIToResponsesStreamTranslator } from "./stream/openai-to-responses.js";
export { toResponsesError } from "./stream/responses-errors.js";
export { serializeResponsesResponse } from "./stream/responses-response-json.js";
export {
  createResponsesToAnthropicStreamTranslator,
  type ResponsesToAnthropicStreamTranslator,
} from "./stream/responses-to-anthropic.js";
export {
  createResponsesToOpenAIStreamTranslator,
  finishReasonForResponse,
  type ResponsesToOpenAIStreamOptions,
  type ResponsesToOpenAIStreamTranslator,
} from "./stream/responses-to-openai.js";
export type {
  OpenAIToResponsesStreamTranslator,
  ToResponsesStreamOptions,
  ToResponsesStreamTranslator,
} from "./stream/responses-translator.js";
export {
  parseAnthropicStreamData,
  parseOpenAIStreamData,
  serializeAnthropicStreamEvent,
  serializeOpenAIStreamItem,
} from "./stream/serialize.js";
export {
  createResponsesStreamSerializer,
  parseResponsesStreamData,
  serializeResponsesStreamEvent,
} from "./stream/serialize-responses.js";
export {
  OPENAI_STREAM_DONE,
  type OpenAIStreamDone,
  STREAM_ENDED_EARLY_MESSAGE,
} from "./stream/stream-errors.js";
export {
  createAnthropicToOpenAITransformStream,
  createOpenAIToAnthropicTransformStream,
  type SseSource,
  translateAnthropicStreamToOpenAI,
  translateOpenAIStreamToAnthropic,
} from "./stream/translate-stream.js";
export type * from "./types/anthropic.js";
export type * from "./types/openai.js";
export type * from "./types/responses.js";
export { convertAnthropicUsageToOpenAI, convertOpenAIUsageToAnthropic } from "./usage.js";
export {
  type ValidateAnthropicRequestOptions,
  validateAnthropicMessagesRequest,
} from "./validate-anthropic-request.js";
export {
  type ValidateOpenAIRequestOptions,
  validateOpenAIChatRequest,
} from "./validate-openai-request.js";
export {
  type ValidateResponsesRequestOptions,
  validateResponsesRequest,
} from "./validate-responses-request.js";
