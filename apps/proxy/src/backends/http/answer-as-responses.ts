import {
  type ResponsesRequest,
  type ResponsesResponse,
  serializeResponsesResponse,
} from "@switchyard/openai-compat";
import type { BackendRequest, BackendResult } from "../types.js";
import { omittedHeaders } from "./omitted.js";
import { readJson } from "./read-json.js";
import { responsesUsageSummary } from "./responses-translations.js";
import type { UsageTrackingTranslation } from "./stream-translations.js";
import { pipeTranslatedStream } from "./translate-stream.js";
import type { UpstreamResponse } from "./upstream.js";

/**
 * Answers a translated `/v1/responses` request from its upstream's answer: JSON converted with
 * `convert`, SSE through the stream translation `translate` makes. Reports what the request
 * left out (`x-switchyard-omitted`) and fills `result` with it and the usage.
 */
export async function answerAsResponses<T>(options: {
  request: BackendRequest;
  response: UpstreamResponse;
  result: BackendResult;
  omitted: string[];
  backend: string;
  /** The upstream's protocol (for an error it sends as an answer). */
  dialect: "anthropic" | "openai";
  /** Redacted from upstream error events. */
  secrets: readonly string[];
  convert: (body: T, options: { request: ResponsesRequest }) => ResponsesResponse;
  translate: (options: {
    backend: string;
    request: ResponsesRequest;
    secrets: readonly string[];
  }) => UsageTrackingTranslation;
}): Promise<BackendResult> {
  const { request, response, result, omitted, backend, secrets } = options;
  if (omitted.length > 0) result.omitted = omitted;
  const headers = omittedHeaders(omitted);
  const echo = request.body as unknown as ResponsesRequest;
  if (!request.stream) {
    const answer = await readJson(response, backend, { dialect: options.dialect, secrets });
    const body = options.convert(answer as T, { request: echo });
    // Written from the Response template (the same bytes as JSON.stringify, a third the time).
    request.response.bytes(200, serializeResponsesResponse(body), {
      "content-type": "application/json",
      ...headers,
    });
    const usage = responsesUsageSummary(body.usage);
    if (usage !== undefined) result.usage = usage;
    return result;
  }
  const translation = options.translate({ backend, request: echo, secrets });
  const error = await pipeTranslatedStream({
    response,
    sink: request.response,
    callerDialect: "openai",
    translation,
    backend,
    ...(headers === undefined ? {} : { headers }),
  });
  const usage = translation.usage();
  if (usage !== undefined) result.usage = usage;
  if (error !== undefined) result.error = error;
  return result;
}
