import {
  type AnthropicMessagesRequest,
  convertOpenAIRequestToAnthropic,
  convertResponsesRequestToAnthropic,
  type OpenAIChatRequest,
  type ResponsesRequest,
} from "@switchyard/openai-compat";
import { ProxyError } from "../../server/proxy-error.js";
import { countTokensViaEstimate, isTokenCount } from "../token-count.js";
import type { BackendRequest, BackendResult } from "../types.js";
import { createResponseWriter, type ResponseWriter } from "./response-writer.js";
import type { CliRunExit } from "./run-cli.js";

/** The writer that answers `request` in its own dialect and endpoint, streaming or not. */
export function responseWriterFor(request: BackendRequest): ResponseWriter {
  const openai = request.body as { stream_options?: { include_usage?: unknown } };
  return createResponseWriter({
    dialect: request.dialect,
    stream: request.stream,
    sink: request.response,
    model: request.model,
    includeUsage: openai.stream_options?.include_usage === true,
    ...(request.endpoint === "responses"
      ? { responses: request.body as unknown as ResponsesRequest }
      : {}),
  });
}

/**
 * Throws when the run was stopped because the request was aborted: the proxy shutting down
 * (a started stream says so first) or the client leaving (nobody to answer).
 */
export async function throwIfAborted(
  exit: CliRunExit,
  request: BackendRequest,
  writer: ResponseWriter,
): Promise<void> {
  if (!exit.aborted && !request.signal.aborted) return;
  const reason = request.signal.reason;
  if (ProxyError.isInstance(reason) && reason.code === "shutting_down") {
    if (writer.started) await writer.fail(reason);
    throw reason;
  }
  throw new ProxyError("client_closed", "client closed the connection");
}

/**
 * Answers a token count (`count_tokens`, `/v1/responses/input_tokens`) without a CLI run (the
 * CLIs have no token-counting mode): the estimate of openai-compat. Undefined for every other
 * endpoint.
 */
export function answerCountTokens(
  request: BackendRequest,
  target: string,
): BackendResult | undefined {
  if (!isTokenCount(request.endpoint)) return undefined;
  return countTokensViaEstimate(request, target);
}

/**
 * The request as an Anthropic Messages request, the one shape the CLI backends plan runs
 * from: Chat Completions and Responses requests are converted by openai-compat (parameters
 * with no equivalent are dropped: a CLI run has no sampling controls to take them).
 */
export function messagesBodyOf(request: BackendRequest): AnthropicMessagesRequest {
  if (request.endpoint === "responses") {
    return convertResponsesRequestToAnthropic(request.body as unknown as ResponsesRequest, {
      unsupportedParameters: "drop",
    }).request;
  }
  if (request.dialect === "openai") {
    return convertOpenAIRequestToAnthropic(request.body as unknown as OpenAIChatRequest, {
      unsupportedParameters: "drop",
    });
  }
  return request.body as unknown as AnthropicMessagesRequest;
}
