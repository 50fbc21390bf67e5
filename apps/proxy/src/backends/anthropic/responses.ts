import {
  type AnthropicMessage,
  convertAnthropicResponseToResponses,
  convertResponsesRequestToAnthropic,
  type ResponsesRequest,
} from "@switchyard/openai-compat";
import { answerAsResponses } from "../http/answer-as-responses.js";
import { anthropicToResponsesTranslation } from "../http/responses-translations.js";
import type { BackendRequest, BackendResult } from "../types.js";
import { type AnthropicSender, sendTranslatedMessages } from "./chat-completions.js";

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
  const { response, result } = await sendTranslatedMessages(request, sender, anthropic);
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
