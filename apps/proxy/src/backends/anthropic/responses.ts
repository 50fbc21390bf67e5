import {
  type AnthropicMessage,
  convertAnthropicResponseToResponses,
  convertResponsesRequestToAnthropic,
  type ResponsesRequest,
} from "@switchyard/openai-compat";
import { matchOverageHeaders } from "@switchyard/overage-guard";
import { answerAsResponses } from "../http/answer-as-responses.js";
import { anthropicToResponsesTranslation } from "../http/responses-translations.js";
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
  return answerAsResponses<AnthropicMessage>({
    request,
    response,
    result,
    omitted,
    backend: sender.name,
    secrets: sender.secrets,
    convert: convertAnthropicResponseToResponses,
    translate: anthropicToResponsesTranslation,
  });
}
