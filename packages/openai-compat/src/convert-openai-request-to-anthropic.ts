import {
  type ConvertOpenAIMessagesOptions,
  convertOpenAIMessagesToAnthropic,
} from "./convert-openai-messages-to-anthropic.js";
import { asTranslationError } from "./internal/malformed.js";
import { isRecord, unsupported } from "./internal/unsupported.js";
import {
  convertReasoningEffortToBudget,
  DEFAULT_REASONING_BUDGETS,
  MIN_THINKING_BUDGET,
} from "./reasoning-effort.js";
import type {
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
} from "./types/anthropic.js";
import type {
  OpenAIChatRequest,
  OpenAIFunctionDefinition,
  OpenAIToolChoice,
} from "./types/openai.js";

/** Options of {@link convertOpenAIRequestToAnthropic}. */
export interface ConvertOpenAIRequestOptions extends ConvertOpenAIMessagesOptions {
  /** `max_tokens` when the request sets none (Anthropic requires it). Default 4096. */
  defaultMaxTokens?: number;
  /**
   * Parameters Anthropic cannot honour (`seed`, non-zero penalties, `logit_bias`, `logprobs`,
   * `prediction`, `verbosity`, `web_search_options`, and `reasoning_effort` together with a
   * `tool_choice` that forces a tool): `"error"` (default) or `"drop"`.
   * `n > 1` and audio output always throw: dropping them would change what the caller gets.
   */
  unsupportedParameters?: "error" | "drop";
  /**
   * How `response_format` reaches Claude: `"system-prompt"` (default; works on every model)
   * appends an instruction with the schema to `system`; `"output-config"` uses Anthropic's
   * native structured outputs (`output_config.format`). `json_object` always uses the prompt.
   */
  responseFormat?: "system-prompt" | "output-config";
  /** Thinking budget per `reasoning_effort` (see `DEFAULT_REASONING_BUDGETS`). */
  reasoningBudgets?: Readonly<Record<string, number>>;
}

const DROPPABLE = [
  "seed",
  "logit_bias",
  "logprobs",
  "top_logprobs",
  "prediction",
  "verbosity",
  "web_search_options",
  "presence_penalty",
  "frequency_penalty",
] as const;

/**
 * Converts an OpenAI Chat Completions request to an Anthropic Messages request.
 *
 * @example
 * const anthropic = convertOpenAIRequestToAnthropic({
 *   model: "claude-sonnet-4-5",
 *   messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }],
 * });
 * // { model, max_tokens: 4096, system: "Be brief.", messages: [{ role: "user", content: "Hi" }] }
 */
export function convertOpenAIRequestToAnthropic(
  request: OpenAIChatRequest,
  options: ConvertOpenAIRequestOptions = {},
): AnthropicMessagesRequest {
  try {
    return convertOpenAIRequestToAnthropicUnchecked(request, options);
  } catch (error) {
    throw asTranslationError(error, "request");
  }
}

/**
 * {@link convertOpenAIRequestToAnthropic} for a caller that reports what it leaves out: when
 * a forced `tool_choice` rules thinking out, thinking is dropped whatever
 * `unsupportedParameters` says, and `onThinkingDropped` is called.
 */
export function convertOpenAIRequestToAnthropicReporting(
  request: OpenAIChatRequest,
  options: ConvertOpenAIRequestOptions,
  onThinkingDropped: () => void,
): AnthropicMessagesRequest {
  try {
    return convertOpenAIRequestToAnthropicUnchecked(request, options, onThinkingDropped);
  } catch (error) {
    throw asTranslationError(error, "request");
  }
}

function convertOpenAIRequestToAnthropicUnchecked(
  request: OpenAIChatRequest,
  options: ConvertOpenAIRequestOptions = {},
  onThinkingDropped?: () => void,
): AnthropicMessagesRequest {
  const {
    defaultMaxTokens = 4096,
    unsupportedParameters = "error",
    responseFormat = "system-prompt",
    reasoningBudgets = DEFAULT_REASONING_BUDGETS,
  } = options;
  if (!Array.isArray(request?.messages))
    unsupported("messages", "messages must be an array", "invalid_request");
  checkUnsupported(request, unsupportedParameters);

  const prompt = convertOpenAIMessagesToAnthropic(request.messages, options);
  if (prompt.messages.length === 0) {
    // Anthropic refuses an empty `messages` ("at least one message is required").
    unsupported(
      "messages",
      "Anthropic needs at least one user or assistant message; this request has only system messages",
      "invalid_request",
    );
  }
  const out: AnthropicMessagesRequest = {
    model: request.model,
    max_tokens: defaultMaxTokens,
    messages: prompt.messages,
  };
  if (prompt.system !== undefined) out.system = prompt.system;

  const tools = convertTools(request);
  const choice = tools.length > 0 ? convertToolChoice(request) : undefined;
  const explicitMax = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const effort = request.reasoning_effort ?? undefined;
  let budget =
    effort === undefined ? undefined : convertReasoningEffortToBudget(effort, reasoningBudgets);
  if (effort !== undefined && effort !== "none" && budget === undefined) {
    unsupported("reasoning_effort", `Unknown reasoning_effort "${effort}"`);
  }
  if (budget !== undefined && (choice?.type === "any" || choice?.type === "tool")) {
    // Anthropic refuses thinking with a forced tool_choice. The caller who forces a tool
    // wants the call, so thinking gives way.
    if (onThinkingDropped !== undefined) onThinkingDropped();
    else if (unsupportedParameters === "error") {
      unsupported(
        "reasoning_effort",
        'Anthropic cannot think when tool_choice forces a tool ("required" or a named function); remove reasoning_effort, use tool_choice "auto", or use unsupportedParameters: "drop" to drop the thinking',
      );
    }
    budget = undefined;
  }
  if (budget === undefined) {
    if (explicitMax !== undefined) out.max_tokens = explicitMax;
  } else if (explicitMax === undefined) {
    out.max_tokens = defaultMaxTokens + budget;
    out.thinking = { type: "enabled", budget_tokens: budget };
  } else {
    if (explicitMax <= MIN_THINKING_BUDGET) {
      unsupported(
        "max_completion_tokens",
        `Reasoning needs more than ${MIN_THINKING_BUDGET} max tokens on Anthropic`,
      );
    }
    out.max_tokens = explicitMax;
    out.thinking = { type: "enabled", budget_tokens: Math.min(budget, explicitMax - 1) };
  }

  // Anthropic accepts 0–1; OpenAI 0–2. Values above 1 are clamped (documented lossy).
  if (typeof request.temperature === "number")
    out.temperature = Math.min(1, Math.max(0, request.temperature));
  if (typeof request.top_p === "number") out.top_p = request.top_p;
  if (typeof request.top_k === "number") out.top_k = request.top_k;
  const stop = typeof request.stop === "string" ? [request.stop] : request.stop;
  if (Array.isArray(stop) && stop.length > 0) {
    // Anthropic rejects stop sequences that are only whitespace (OpenAI takes "\n").
    const kept = stop.filter((s) => typeof s !== "string" || s.trim() !== "");
    if (kept.length < stop.length && unsupportedParameters === "error") {
      unsupported(
        "stop",
        'Anthropic stop sequences must contain non-whitespace (e.g. "\\n" alone is refused); remove them or use unsupportedParameters: "drop"',
      );
    }
    if (kept.length > 0) out.stop_sequences = kept;
  }
  if (typeof request.user === "string") out.metadata = { user_id: request.user };
  if (typeof request.stream === "boolean") out.stream = request.stream;

  if (tools.length > 0) {
    out.tools = tools;
    if (choice) out.tool_choice = choice;
  }
  applyResponseFormat(request, out, responseFormat);
  return out;
}

function checkUnsupported(request: OpenAIChatRequest, mode: "error" | "drop"): void {
  if (typeof request.n === "number" && request.n > 1)
    unsupported("n", "Anthropic returns one choice; n > 1 is not supported");
  if (request.modalities?.includes("audio") || request.audio)
    unsupported("modalities", "Anthropic cannot produce audio output");
  if (mode === "drop") return;
  for (const key of DROPPABLE) {
    const value = request[key];
    const neutral =
      value === undefined ||
      value === null ||
      value === false ||
      value === 0 ||
      (isRecord(value) && Object.keys(value).length === 0);
    if (!neutral)
      unsupported(
        key,
        `Anthropic has no equivalent of "${key}"; remove it or use unsupportedParameters: "drop"`,
      );
  }
}

function convertTools(request: OpenAIChatRequest): AnthropicTool[] {
  const definitions: OpenAIFunctionDefinition[] = [];
  (request.tools ?? []).forEach((tool, i) => {
    if (tool.type !== "function" || !tool.function)
      unsupported(`tools[${i}]`, `Tool type "${String(tool.type)}" cannot be sent to Anthropic`);
    definitions.push(tool.function);
  });
  definitions.push(...(request.functions ?? []));
  return definitions.map((fn) => {
    const tool: AnthropicTool = {
      name: fn.name,
      input_schema: (fn.parameters as AnthropicTool["input_schema"]) ?? {
        type: "object",
        properties: {},
      },
    };
    if (fn.description !== undefined) tool.description = fn.description;
    return tool;
  });
}

function convertToolChoice(request: OpenAIChatRequest): AnthropicToolChoice | undefined {
  const raw: OpenAIToolChoice | undefined =
    request.tool_choice ??
    (request.function_call === undefined
      ? undefined
      : typeof request.function_call === "string"
        ? request.function_call
        : { type: "function", function: { name: request.function_call.name } });
  const serial = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (raw === undefined)
    return request.parallel_tool_calls === false ? { type: "auto", ...serial } : undefined;
  if (raw === "none") return { type: "none" };
  if (raw === "auto") return { type: "auto", ...serial };
  if (raw === "required") return { type: "any", ...serial };
  if (isRecord(raw) && raw.type === "function" && typeof raw.function?.name === "string") {
    return { type: "tool", name: raw.function.name, ...serial };
  }
  return unsupported(
    "tool_choice",
    "Only auto, none, required or a named function tool_choice can be sent to Anthropic",
  );
}

function applyResponseFormat(
  request: OpenAIChatRequest,
  out: AnthropicMessagesRequest,
  mode: "system-prompt" | "output-config",
): void {
  const format = request.response_format;
  if (!format || format.type === "text") return;
  if (format.type === "json_schema") {
    const schema = format.json_schema?.schema ?? {};
    if (mode === "output-config") {
      out.output_config = { format: { type: "json_schema", schema } };
      return;
    }
    const about = format.json_schema?.description ? ` (${format.json_schema.description})` : "";
    appendSystem(
      out,
      `Respond only with a JSON value named "${format.json_schema?.name ?? "response"}"${about} that conforms to this JSON Schema, with no other text:\n${JSON.stringify(schema)}`,
    );
    return;
  }
  if (format.type === "json_object") {
    appendSystem(out, "Respond only with a single valid JSON object, with no other text.");
    return;
  }
  unsupported(
    "response_format",
    `response_format type "${String((format as { type: unknown }).type)}" is not supported`,
  );
}

function appendSystem(out: AnthropicMessagesRequest, text: string): void {
  if (out.system === undefined) out.system = text;
  else if (typeof out.system === "string") out.system = `${out.system}\n\n${text}`;
  else out.system = [...out.system, { type: "text", text } satisfies AnthropicTextBlock];
}
