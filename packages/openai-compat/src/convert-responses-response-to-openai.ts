import { TranslationError } from "./errors.js";
import { asTranslationError } from "./internal/malformed.js";
import { convertResponsesUsageToOpenAI } from "./internal/response-shell.js";
import { finishReasonForResponse } from "./stream/responses-to-openai.js";
import type {
  OpenAIChatCompletion,
  OpenAIResponseMessage,
  OpenAIToolCall,
} from "./types/openai.js";
import type { ResponsesResponse } from "./types/responses.js";

/**
 * Converts a Responses `Response` to a Chat Completions response (one choice), for upstream
 * models that only answer on `/v1/responses`: `output_text` parts are joined into
 * `content`, refusals into `refusal`, reasoning summaries into `reasoning_content`, and each
 * `function_call` item becomes a tool call whose `id` is its `call_id`. An `incomplete`
 * response finishes with `length` (or `content_filter`).
 *
 * @example
 * const completion = convertResponsesResponseToOpenAI(response);
 * completion.choices[0].message.content; // "Hello!"
 */
export function convertResponsesResponseToOpenAI(
  response: ResponsesResponse,
): OpenAIChatCompletion {
  try {
    return convertUnchecked(response);
  } catch (error) {
    throw asTranslationError(error, "response");
  }
}

function convertUnchecked(response: ResponsesResponse): OpenAIChatCompletion {
  if (!response || !Array.isArray(response.output)) {
    throw new TranslationError({
      code: "invalid_response",
      message: "Upstream response has no output array",
    });
  }
  let text = "";
  let refusal = "";
  let reasoning = "";
  const toolCalls: OpenAIToolCall[] = [];
  for (const item of response.output) {
    if (item.type === "message") {
      for (const part of item.content ?? []) {
        if (part.type === "output_text") text += part.text;
        else if (part.type === "refusal") refusal += part.refusal;
      }
    } else if (item.type === "reasoning") {
      for (const part of item.summary ?? []) reasoning += part.text;
      if (reasoning === "") for (const part of item.content ?? []) reasoning += part.text;
    } else if (item.type === "function_call") {
      toolCalls.push({
        id: item.call_id,
        type: "function",
        function: { name: item.name, arguments: item.arguments ?? "" },
      });
    }
  }
  const message: OpenAIResponseMessage = {
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
    refusal: refusal === "" ? null : refusal,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== "") message.reasoning_content = reasoning;
  const completion: OpenAIChatCompletion = {
    id: response.id,
    object: "chat.completion",
    created: response.created_at,
    model: response.model,
    choices: [
      { index: 0, message, finish_reason: finishReasonForResponse(response), logprobs: null },
    ],
  };
  if (response.usage) completion.usage = convertResponsesUsageToOpenAI(response.usage);
  return completion;
}
