import { TranslationError } from "./errors.js";
import { asTranslationError } from "./internal/malformed.js";
import { type InvalidToolArgumentsMode, parseToolArguments } from "./internal/tool-arguments.js";
import { convertOpenAIFinishReasonToAnthropic } from "./stop-reason.js";
import type { AnthropicMessage, AnthropicResponseContentBlock } from "./types/anthropic.js";
import type { OpenAIChatCompletion } from "./types/openai.js";
import { convertOpenAIUsageToAnthropic } from "./usage.js";

/** Options of {@link convertOpenAIResponseToAnthropic}. */
export interface ConvertOpenAIResponseOptions {
  /** Id source when the upstream omits an id (message or tool call). Default `crypto.randomUUID`. */
  generateId?: () => string;
  /** Malformed tool-call `arguments`: throw (`"error"`, default, status 502) or keep as `{ _raw_arguments }`. */
  invalidToolArguments?: InvalidToolArgumentsMode;
}

/**
 * Converts an OpenAI `ChatCompletion` to an Anthropic `Message`.
 *
 * `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter, Groq) becomes a leading
 * thinking block with an empty signature; `content` a text block; `refusal` a text block with
 * `stop_reason: "refusal"`; `tool_calls` `tool_use` blocks (a server that reports
 * `finish_reason: "stop"` alongside tool calls still yields `tool_use`). A completion cut off
 * by the token limit (`"length"`) is `stop_reason: "max_tokens"`, and a tool call whose
 * arguments end mid-JSON there gets `input: {}` rather than an error. The upstream id is kept.
 *
 * @example
 * const message = convertOpenAIResponseToAnthropic(completion);
 * message.content; // [{ type: "text", text: "Hello!" }]
 */
export function convertOpenAIResponseToAnthropic(
  completion: OpenAIChatCompletion,
  options: ConvertOpenAIResponseOptions = {},
): AnthropicMessage {
  try {
    return convertOpenAIResponseToAnthropicUnchecked(completion, options);
  } catch (error) {
    throw asTranslationError(error, "response");
  }
}

function convertOpenAIResponseToAnthropicUnchecked(
  completion: OpenAIChatCompletion,
  options: ConvertOpenAIResponseOptions = {},
): AnthropicMessage {
  const { generateId = () => crypto.randomUUID(), invalidToolArguments = "error" } = options;
  const choices = completion?.choices;
  if (!Array.isArray(choices) || choices.length !== 1 || !choices[0]?.message) {
    throw new TranslationError({
      code: "invalid_response",
      message: `Upstream OpenAI response must have exactly one choice, got ${Array.isArray(choices) ? choices.length : "none"}`,
    });
  }
  const { message, finish_reason: finishReason } = choices[0];
  // vLLM (and servers built on it) name the stop string that ended the turn in `stop_reason`.
  const matched = matchedStop(choices[0]);
  const content: AnthropicResponseContentBlock[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === "string" && reasoning !== "") {
    content.push({ type: "thinking", thinking: reasoning, signature: "" });
  }
  if (typeof message.content === "string" && message.content !== "") {
    content.push({ type: "text", text: message.content });
  }
  const refused = typeof message.refusal === "string" && message.refusal !== "";
  // Cut off by the token limit: a tool call's arguments may end mid-JSON. Anthropic reports
  // that as a `tool_use` block and `stop_reason: "max_tokens"`, never as an error.
  const truncated = finishReason === "length";
  if (refused) content.push({ type: "text", text: message.refusal as string });
  (message.tool_calls ?? []).forEach((call, i) => {
    const param = `choices[0].message.tool_calls[${i}]`;
    if (call.type !== "function" || !call.function) {
      throw new TranslationError({
        code: "unsupported_content",
        message: `Tool call type "${String(call.type)}" has no Anthropic equivalent`,
        param,
        status: 502,
      });
    }
    let input: Record<string, unknown>;
    try {
      input = parseToolArguments(
        call.function.arguments,
        invalidToolArguments,
        `${param}.function.arguments`,
      );
    } catch (error) {
      if (!TranslationError.isInstance(error)) throw error;
      if (truncated) input = {};
      else
        throw new TranslationError({
          code: error.code,
          message: error.message,
          param: error.param,
          cause: error.cause,
          status: 502,
        });
    }
    content.push({
      type: "tool_use",
      id: call.id || `call_${generateId()}`,
      name: call.function.name,
      input,
    });
  });

  const hasTools = content.some((block) => block.type === "tool_use");
  const stopReason = refused
    ? "refusal"
    : truncated
      ? "max_tokens"
      : hasTools
        ? "tool_use"
        : (convertOpenAIFinishReasonToAnthropic(finishReason, { matchedStopSequence: matched }) ??
          "end_turn");
  return {
    id: completion.id || `msg_${generateId()}`,
    type: "message",
    role: "assistant",
    model: completion.model,
    content,
    stop_reason: stopReason,
    stop_sequence: stopReason === "stop_sequence" ? (matched ?? null) : null,
    usage: convertOpenAIUsageToAnthropic(completion.usage ?? {}),
  };
}

/** The stop string a choice reports in vLLM's `stop_reason` extension, if it is one. */
export function matchedStop(choice: { stop_reason?: unknown }): string | undefined {
  const value = choice.stop_reason;
  return typeof value === "string" && value !== "" ? value : undefined;
}
