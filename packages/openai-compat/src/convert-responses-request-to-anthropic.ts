import {
  type ConvertOpenAIRequestOptions,
  convertOpenAIRequestToAnthropicReporting,
} from "./convert-openai-request-to-anthropic.js";
import {
  type ConvertedResponsesRequest,
  convertResponsesRequestToChat,
} from "./convert-responses-request-to-openai.js";
import { asTranslationError } from "./internal/malformed.js";
import { unsupported } from "./internal/unsupported.js";
import type { AnthropicMessagesRequest } from "./types/anthropic.js";
import type { OpenAIChatRequest } from "./types/openai.js";
import type { ResponsesRequest } from "./types/responses.js";

/** Options of {@link convertResponsesRequestToAnthropic}. */
export type ConvertResponsesToAnthropicOptions = ConvertOpenAIRequestOptions;

/**
 * Converts an OpenAI Responses request to an Anthropic Messages request, through the same
 * rules as Chat Completions (see `convertResponsesRequestToOpenAI` and
 * `convertOpenAIRequestToAnthropic`): `instructions` and system/developer messages become
 * `system`, `function_call`/`function_call_output` items `tool_use`/`tool_result` blocks
 * paired by `call_id`, `reasoning.effort` a thinking budget, `max_output_tokens`
 * `max_tokens`, `text.format` json_schema a schema instruction (or `output_config`).
 * `cache_control` on input parts is carried to the Anthropic blocks. Reasoning items that
 * came from Anthropic (their `encrypted_content` holds the signature) go back as the signed
 * thinking blocks they were; other reasoning is dropped, and when that leaves a tool-use turn
 * without the thinking Anthropic requires, thinking is off for this request (reported in
 * `omitted` as `reasoning:thinking-off`) instead of a 400. So it is when `tool_choice` forces a
 * tool (`required` or a named function): Anthropic takes no thinking with a forced tool, and
 * the caller who forces one wants the call.
 *
 * @example
 * const { request, omitted } = convertResponsesRequestToAnthropic({
 *   model: "claude-sonnet-4-5",
 *   instructions: "Be brief.",
 *   input: "Hi",
 * });
 */
export function convertResponsesRequestToAnthropic(
  request: ResponsesRequest,
  options: ConvertResponsesToAnthropicOptions = {},
): ConvertedResponsesRequest<AnthropicMessagesRequest> {
  let chat: ConvertedResponsesRequest<OpenAIChatRequest>;
  try {
    chat = convertResponsesRequestToChat(
      request,
      { maxTokensField: "max_completion_tokens" },
      true,
    );
  } catch (error) {
    throw asTranslationError(error, "request");
  }
  if (!chat.request.messages.some((m) => m.role !== "system" && m.role !== "developer")) {
    unsupported(
      "input",
      "Anthropic needs at least one input message besides instructions; this request has none",
      "invalid_request",
    );
  }
  // The rest of the mapping is shared with Chat Completions.
  const omitted = chat.omitted;
  const anthropic = convertOpenAIRequestToAnthropicReporting(chat.request, options, () =>
    omitted.push("reasoning:thinking-off"),
  );
  if (anthropic.thinking?.type === "enabled" && lastToolTurnLacksThinking(anthropic)) {
    delete anthropic.thinking;
    omitted.push("reasoning:thinking-off");
  }
  return { request: anthropic, omitted };
}

/**
 * Whether the conversation continues a tool-use turn (its last user turn holds tool results)
 * whose assistant message does not start with a thinking block: Anthropic refuses that with
 * thinking on.
 */
function lastToolTurnLacksThinking(request: AnthropicMessagesRequest): boolean {
  const { messages } = request;
  const last = messages.at(-1);
  if (last?.role !== "user" || !Array.isArray(last.content)) return false;
  if (!last.content.some((b) => b.type === "tool_result")) return false;
  const turn = messages.at(-2);
  if (turn?.role !== "assistant" || !Array.isArray(turn.content)) return false;
  const first = turn.content[0]?.type;
  return first !== "thinking" && first !== "redacted_thinking";
}
