import {
  type AnthropicMessage,
  convertAnthropicResponseToResponses,
  convertResponsesRequestToAnthropic,
  type ResponsesRequest,
} from "@switchyard/openai-compat";
import { matchOverageHeaders } from "@switchyard/overage-guard";
import { omittedHeaders } from "../http/omitted.js";
import { readJson } from "../http/read-json.js";
import {
  anthropicToResponsesTranslation,
  responsesUsageSummary,
} from "../http/responses-translations.js";
import { pipeTranslatedStream } from "../http/translate-stream.js";
import type { BackendRequest, BackendResult } from "../types.js";
import type { AnthropicSender } from "./chat-completions.js";

/**
 * `/v1/responses` on an Anthropic upstream: the Responses request is converted with
 * openai-compat (tools Anthropic cannot run are left out and reported), sent to
 * `/v1/messages`, and the answer (JSON or SSE) converted back to Responses.
 */
export async function handleResponsesViaAnthropic(
  request: BackendRequest,
  sender: AnthropicSender,
): Promise<BackendResult> {
  const responses = request.body as unknown as ResponsesRequest;
  const { request: anthropic, omitted } = convertResponsesRequestToAnthropic(responses, {
    unsupportedParameters: "drop",
  });
  anthropic.model = request.model;
  if (request.stream) anthropic.stream = true;
  else delete anthropic.stream;
  const { response, target, failovers } = await sender.send(
    request,
    "/messages",
    JSON.stringify(anthropic),
  );
  const overage = matchOverageHeaders(response.headers, response.status);
  const result: BackendResult = { status: 200, target: target.id };
  if (overage !== undefined) result.billingSignals = [overage.kind];
  if (failovers > 0) result.failovers = failovers;
  if (omitted.length > 0) result.omitted = omitted;
  const headers = omittedHeaders(omitted);
  const echo = responses;
  if (!request.stream) {
    const message = (await readJson(response, sender.name)) as AnthropicMessage;
    const body = convertAnthropicResponseToResponses(message, { request: echo });
    request.response.json(200, body, headers);
    const usage = responsesUsageSummary(body.usage);
    if (usage !== undefined) result.usage = usage;
    return result;
  }
  const translation = anthropicToResponsesTranslation({
    backend: sender.name,
    request: echo,
    secrets: sender.secrets,
  });
  await pipeTranslatedStream({
    response,
    sink: request.response,
    callerDialect: "openai",
    translation,
    backend: sender.name,
    ...(headers === undefined ? {} : { headers }),
  });
  const usage = translation.usage();
  if (usage !== undefined) result.usage = usage;
  return result;
}
