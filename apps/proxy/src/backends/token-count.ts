import {
  type AnthropicMessagesRequest,
  estimateInputTokens,
  estimateResponsesInputTokens,
  type ResponsesRequest,
} from "@switchyard/openai-compat";
import { ProxyError } from "../server/proxy-error.js";
import { OMITTED_HEADER } from "./http/omitted.js";
import { readJson } from "./http/read-json.js";
import type { PooledResponse } from "./http/target-pool.js";
import type { BackendRequest, BackendResult, Endpoint } from "./types.js";

/**
 * Endpoints that count a request's input tokens instead of answering it: Anthropic's
 * `/v1/messages/count_tokens` and OpenAI's `/v1/responses/input_tokens`. They never stream,
 * cost nothing, and do not count as a conversation's turn.
 */
export function isTokenCount(endpoint: Endpoint): boolean {
  return endpoint === "count_tokens" || endpoint === "responses_input_tokens";
}

/**
 * Answers a token count in its endpoint's shape (`{input_tokens}` for Anthropic,
 * `{object: "response.input_tokens", input_tokens}` for OpenAI) and reports it for the log.
 */
export function answerTokenCount(
  request: BackendRequest,
  inputTokens: number,
  options: { target?: string; headers?: Record<string, string> | undefined } = {},
): BackendResult {
  const body =
    request.endpoint === "responses_input_tokens"
      ? { object: "response.input_tokens", input_tokens: inputTokens }
      : { input_tokens: inputTokens };
  request.response.json(200, body, options.headers);
  return {
    status: 200,
    usage: { inputTokens },
    ...(options.target === undefined ? {} : { target: options.target }),
  };
}

/**
 * A token count for an upstream that cannot count (or a CLI backend, which has no counting
 * mode): openai-compat's local estimate of the body, read in its endpoint's API.
 */
export function countTokensViaEstimate(request: BackendRequest, target?: string): BackendResult {
  const inputTokens =
    request.endpoint === "responses_input_tokens"
      ? estimateResponsesInputTokens(request.body as unknown as ResponsesRequest).input_tokens
      : estimateInputTokens(request.body as unknown as AnthropicMessagesRequest).input_tokens;
  return answerTokenCount(request, inputTokens, target === undefined ? {} : { target });
}

/**
 * Answers a token count with the count an upstream reported (`input_tokens` in its JSON, as
 * both Anthropic's `count_tokens` and OpenAI's `input_tokens` answer), in the caller's shape.
 * An answer without a count is a 502 that echoes nothing of it.
 */
export async function answerUpstreamTokenCount(
  request: BackendRequest,
  sent: PooledResponse,
  options: { backend: string; omitted?: readonly string[] },
): Promise<BackendResult> {
  const answer = (await readJson(sent.response, options.backend)) as { input_tokens?: unknown };
  const count = answer?.input_tokens;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
    throw new ProxyError(
      "upstream_bad_response",
      `upstream ${options.backend} answered a token count without an input_tokens count`,
    );
  }
  const omitted = options.omitted ?? [];
  const headers = omitted.length === 0 ? undefined : { [OMITTED_HEADER]: omitted.join(", ") };
  const result = answerTokenCount(request, count, { target: sent.target.id, headers });
  if (sent.failovers > 0) result.failovers = sent.failovers;
  if (omitted.length > 0) result.omitted = [...omitted];
  return result;
}
