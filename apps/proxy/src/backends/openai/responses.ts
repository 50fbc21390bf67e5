import {
  convertOpenAIResponseToResponses,
  convertResponsesRequestToOpenAI,
  type OpenAIChatCompletion,
  type ResponsesRequest,
} from "@switchyard/openai-compat";
import { omittedHeaders } from "../http/omitted.js";
import { readJson } from "../http/read-json.js";
import {
  openAIToResponsesTranslation,
  responsesUsageSummary,
} from "../http/responses-translations.js";
import { pipeTranslatedStream } from "../http/translate-stream.js";
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
  if (!sendsReasoningEffort(sender.reasoningEffort, request.model)) delete chat.reasoning_effort;
  if (!request.stream) {
    delete chat.stream;
    delete chat.stream_options;
  }
  const { response, target, failovers } = await sender.send(request, JSON.stringify(chat));
  const result: BackendResult = { status: 200, target: target.id };
  if (failovers > 0) result.failovers = failovers;
  if (omitted.length > 0) result.omitted = omitted;
  const headers = omittedHeaders(omitted);
  const echo = responses;
  if (!request.stream) {
    const completion = (await readJson(response, sender.name)) as OpenAIChatCompletion;
    const body = convertOpenAIResponseToResponses(completion, { request: echo });
    request.response.json(200, body, headers);
    const usage = responsesUsageSummary(body.usage);
    if (usage !== undefined) result.usage = usage;
    return result;
  }
  const translation = openAIToResponsesTranslation({
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
