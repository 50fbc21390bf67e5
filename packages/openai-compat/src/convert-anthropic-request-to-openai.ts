import {
  type ConvertAnthropicMessagesOptions,
  convertAnthropicMessagesToOpenAI,
} from "./convert-anthropic-messages-to-openai.js";
import { asTranslationError } from "./internal/malformed.js";
import { isRecord, unsupported } from "./internal/unsupported.js";
import { convertBudgetToReasoningEffort } from "./reasoning-effort.js";
import type { AnthropicMessagesRequest, AnthropicToolChoice } from "./types/anthropic.js";
import type { OpenAIChatRequest, OpenAITool, OpenAIToolChoice } from "./types/openai.js";

const MAX_OPENAI_USER_LENGTH = 64;

/** Options of {@link convertAnthropicRequestToOpenAI}. */
export interface ConvertAnthropicRequestOptions extends ConvertAnthropicMessagesOptions {
  /**
   * Field that carries `max_tokens`: `"max_tokens"` (default; accepted by nearly every
   * OpenAI-compatible server) or `"max_completion_tokens"` (required by OpenAI reasoning models).
   */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  /**
   * `top_k` has no OpenAI field: `"drop"` it (default) or `"pass-through"` as a non-standard
   * `top_k` for servers that accept it (vLLM, llama.cpp, OpenRouter).
   */
  topK?: "drop" | "pass-through";
  /**
   * `thinking.budget_tokens` and `output_config.effort` become `reasoning_effort` (`"map"`,
   * default). Use `"drop"` for upstream models that reject `reasoning_effort` (most
   * non-reasoning models); current Claude Code sends `output_config.effort` on every request.
   */
  reasoningEffort?: "map" | "drop";
}

/**
 * Converts an Anthropic Messages request to an OpenAI Chat Completions request.
 *
 * @example
 * const openai = convertAnthropicRequestToOpenAI({
 *   model: "gpt-4.1",
 *   max_tokens: 1024,
 *   system: "Be brief.",
 *   messages: [{ role: "user", content: "Hi" }],
 * });
 * // { model, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }], max_tokens: 1024 }
 */
export function convertAnthropicRequestToOpenAI(
  request: AnthropicMessagesRequest,
  options: ConvertAnthropicRequestOptions = {},
): OpenAIChatRequest {
  try {
    return convertAnthropicRequestToOpenAIUnchecked(request, options);
  } catch (error) {
    throw asTranslationError(error, "request");
  }
}

function convertAnthropicRequestToOpenAIUnchecked(
  request: AnthropicMessagesRequest,
  options: ConvertAnthropicRequestOptions = {},
): OpenAIChatRequest {
  const { maxTokensField = "max_tokens", topK = "drop", reasoningEffort = "map" } = options;
  if (!Array.isArray(request?.messages))
    unsupported("messages", "messages must be an array", "invalid_request");
  const out: OpenAIChatRequest = {
    model: request.model,
    messages: convertAnthropicMessagesToOpenAI(request, options),
  };
  if (typeof request.max_tokens === "number") out[maxTokensField] = request.max_tokens;
  if (typeof request.temperature === "number") out.temperature = request.temperature;
  if (typeof request.top_p === "number") out.top_p = request.top_p;
  if (typeof request.top_k === "number" && topK === "pass-through") out.top_k = request.top_k;
  if (Array.isArray(request.stop_sequences) && request.stop_sequences.length > 0) {
    out.stop = request.stop_sequences;
  }
  const userId = request.metadata?.user_id;
  // OpenAI rejects a `user` longer than 64 characters; Claude Code sends a longer JSON id.
  if (typeof userId === "string" && userId.length <= MAX_OPENAI_USER_LENGTH) out.user = userId;
  if (typeof request.stream === "boolean") {
    out.stream = request.stream;
    // Anthropic streams always end with usage; ask the OpenAI side for it too.
    if (request.stream) out.stream_options = { include_usage: true };
  }

  if (Array.isArray(request.tools) && request.tools.length > 0) {
    out.tools = request.tools.map((tool, i): OpenAITool => {
      if (tool.type !== undefined && tool.type !== "custom") {
        unsupported(`tools[${i}]`, `Server tool "${String(tool.type)}" has no OpenAI equivalent`);
      }
      const fn: OpenAITool["function"] = { name: tool.name, parameters: tool.input_schema };
      if (tool.description !== undefined) fn.description = tool.description;
      return { type: "function", function: fn };
    });
    const choice = request.tool_choice;
    if (choice) {
      out.tool_choice = convertToolChoice(choice);
      if ("disable_parallel_tool_use" in choice && choice.disable_parallel_tool_use === true) {
        out.parallel_tool_calls = false;
      }
    }
  }

  const thinking = request.thinking;
  const config = request.output_config;
  if (reasoningEffort === "map") {
    if (thinking?.type === "enabled" && typeof thinking.budget_tokens === "number") {
      out.reasoning_effort = convertBudgetToReasoningEffort(thinking.budget_tokens);
    }
    if (typeof config?.effort === "string") out.reasoning_effort = config.effort;
  }
  if (config?.format?.type === "json_schema") {
    out.response_format = {
      type: "json_schema",
      json_schema: { name: "response", schema: config.format.schema },
    };
  }
  return out;
}

function convertToolChoice(choice: AnthropicToolChoice): OpenAIToolChoice {
  switch (choice.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      if (isRecord(choice) && typeof choice.name === "string") {
        return { type: "function", function: { name: choice.name } };
      }
      break;
  }
  return unsupported(
    "tool_choice",
    `tool_choice type "${String((choice as { type: unknown }).type)}" is not supported`,
  );
}
