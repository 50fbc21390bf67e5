import {
  convertOpenAIResponseToResponses,
  convertResponsesRequestToOpenAI,
  type OpenAIChatCompletion,
  type ResponsesRequest,
} from "@switchyard/openai-compat";
import { answerAsResponses } from "../http/answer-as-responses.js";
import { openAIToResponsesTranslation } from "../http/responses-translations.js";
import type { BackendRequest, BackendResult } from "../types.js";
import { type OpenAISender, sendsReasoningEffort } from "./messages.js";

/**
 * `/v1/responses` on an upstream that speaks only Chat Completions (Groq, OpenRouter,
 * Ollama, vLLM, …): the Responses request is converted with openai-compat (tools the
 * upstream cannot run are left out and reported), sent to `/chat/completions`, and the
 * answer (JSON or SSE) converted back to Responses.
 */
export async function handleResponsesViaChat(
  request: BackendRequest,
  sender: OpenAISender,
): Promise<BackendResult> {
  const responses = request.body as unknown as ResponsesRequest;
  const { request: chat, omitted } = convertResponsesRequestToOpenAI(responses, {
    maxTokensField: sender.maxTokensField ?? "max_tokens",
    developerRole: sender.onOpenAI ? "developer" : "system",
  });
  chat.model = request.model;
  if (!sendsReasoningEffort(sender.reasoningEffort, request.model))
    chat.reasoning_effort = undefined;
  if (!request.stream) {
    // Unset rather than deleted (see sendTranslatedMessages): the same JSON, a fast object.
    chat.stream = undefined;
    chat.stream_options = undefined;
  }
  const { response, target, failovers } = await sender.send(request, JSON.stringify(chat));
  const result: BackendResult = { status: 200, target: target.id };
  if (failovers > 0) result.failovers = failovers;
  return answerAsResponses<OpenAIChatCompletion>({
    request,
    response,
    result,
    omitted,
    backend: sender.name,
    dialect: "openai",
    secrets: sender.secrets,
    convert: convertOpenAIResponseToResponses,
    translate: openAIToResponsesTranslation,
  });
}
