import {
  type AnthropicMessage,
  convertAnthropicResponseToResponses,
  convertResponsesRequestToAnthropic,
  type ResponsesRequest,
} from "@switchyard/openai-compat";
import { answerAsResponses } from "../http/answer-as-responses.js";
import { anthropicToResponsesTranslation } from "../http/responses-translations.js";
import { answerUpstreamTokenCount } from "../token-count.js";
import type { BackendRequest, BackendResult } from "../types.js";
import { type AnthropicSender, sendTranslatedMessages } from "./chat-completions.js";

/** The Responses body as an Anthropic request (parameters Anthropic cannot honour dropped). */
const toAnthropic = (request: BackendRequest) =>
  convertResponsesRequestToAnthropic(request.body as unknown as ResponsesRequest, {
    unsupportedParameters: "drop",
  });

/**
 * `/v1/responses` on an Anthropic upstream: the Responses request is converted with
 * openai-compat (tools Anthropic cannot run are left out and reported), sent to
 * `/v1/messages`, and the answer (JSON or SSE) converted back to Responses.
 */
export async function handleResponsesViaAnthropic(
  request: BackendRequest,
  sender: AnthropicSender,
): Promise<BackendResult> {
  const { request: anthropic, omitted } = toAnthropic(request);
  const { response, result } = await sendTranslatedMessages(request, sender, anthropic);
  return answerAsResponses<AnthropicMessage>({
    request,
    response,
    result,
    omitted,
    backend: sender.name,
    dialect: "anthropic",
    secrets: sender.secrets,
    convert: convertAnthropicResponseToResponses,
    translate: anthropicToResponsesTranslation,
  });
}

/** The fields Anthropic's `count_tokens` takes; it refuses the rest (`max_tokens`, `stream`, …). */
const COUNTED = [
  "model",
  "messages",
  "system",
  "tools",
  "tool_choice",
  "thinking",
  "output_config",
];

/**
 * `/v1/responses/input_tokens` on an Anthropic upstream: the Responses request is converted
 * as for `/v1/responses`, sent to `/v1/messages/count_tokens`, and the upstream's own count
 * answered as `{object: "response.input_tokens", input_tokens}`. Tools left out are reported
 * as for `/v1/responses`.
 */
export async function countResponsesViaAnthropic(
  request: BackendRequest,
  sender: AnthropicSender,
): Promise<BackendResult> {
  const { request: anthropic, omitted } = toAnthropic(request);
  anthropic.model = request.model;
  const body: Record<string, unknown> = {};
  for (const key of COUNTED) {
    const value = (anthropic as unknown as Record<string, unknown>)[key];
    if (value !== undefined) body[key] = value;
  }
  const sent = await sender.send(request, "/messages/count_tokens", JSON.stringify(body));
  return answerUpstreamTokenCount(request, sent, { backend: sender.name, omitted });
}
