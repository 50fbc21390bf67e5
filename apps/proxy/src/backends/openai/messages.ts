import {
  type AnthropicMessagesRequest,
  convertAnthropicRequestToOpenAI,
  convertOpenAIResponseToAnthropic,
  type OpenAIChatCompletion,
} from "@switchyard/openai-compat";
import { readJson } from "../http/read-json.js";
import { openAIToAnthropicTranslation } from "../http/stream-translations.js";
import type { PooledResponse } from "../http/target-pool.js";
import { pipeTranslatedStream } from "../http/translate-stream.js";
import type { BackendRequest, BackendResult, UsageSummary } from "../types.js";

/** What the openai backend lends the translated path. */
export interface OpenAISender {
  name: string;
  send(request: BackendRequest, body: string): Promise<PooledResponse>;
  /** The backend's secrets, redacted from upstream error events. */
  secrets: readonly string[];
  /** The field for `max_tokens` upstream. Default `max_tokens`. */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  /** When `reasoning_effort` is sent (see `OpenAIBackendConfig.reasoningEffort`). Default `auto`. */
  reasoningEffort?: "auto" | "send" | "drop";
  /** True when every target is api.openai.com (its models take `developer` messages). */
  onOpenAI?: boolean;
}

/**
 * Models known to take `reasoning_effort`; others (gpt-4o, llama, …) refuse or ignore it.
 * Besides OpenAI's (`o1`…, `gpt-5`…, `gpt-oss`…), the reasoning families compatible servers
 * (OpenRouter, Groq, DeepSeek, vLLM, Ollama) accept it for: Qwen3 / QwQ, DeepSeek R1 /
 * `deepseek-reasoner`, Grok 3 mini / Grok 4, Gemini 2.5+, Magistral, GLM 4.5+, Kimi K2
 * thinking, and Claude through OpenRouter. So a Qwen Code `thinking.budget_tokens` is no
 * longer dropped on its way to a Qwen3 model.
 */
const REASONING_MODEL =
  /^(?:[\w.-]+\/)?(?:o\d|gpt-5|gpt-oss|qwen3|qwq|deepseek-r1|deepseek-reasoner|grok-3-mini|grok-4|gemini-(?:2\.5|[3-9])|magistral|glm-4\.[5-9]|glm-[5-9]|kimi-k2-thinking|claude-)/i;

/** Whether `model` gets `reasoning_effort` under `mode`. */
export function sendsReasoningEffort(
  mode: OpenAISender["reasoningEffort"],
  model: string,
): boolean {
  return mode === "send" || ((mode ?? "auto") === "auto" && REASONING_MODEL.test(model));
}

/**
 * `/v1/messages` on an OpenAI-compatible upstream: the Anthropic request is converted with
 * openai-compat (system turns folded, tool results as `tool` messages, thinking dropped),
 * sent to `/chat/completions`, and the answer converted back (streams event by event).
 */
export async function handleMessagesViaOpenAI(
  request: BackendRequest,
  sender: OpenAISender,
): Promise<BackendResult> {
  const anthropic = request.body as unknown as AnthropicMessagesRequest;
  const openai = convertAnthropicRequestToOpenAI(anthropic, {
    maxTokensField: sender.maxTokensField ?? "max_tokens",
    reasoningEffort: sendsReasoningEffort(sender.reasoningEffort, request.model) ? "map" : "drop",
  });
  openai.model = request.model;
  if (request.stream) {
    openai.stream = true;
    openai.stream_options = { include_usage: true };
  } else {
    // Unset rather than deleted (see sendTranslatedMessages): the same JSON, a fast object.
    openai.stream = undefined;
    openai.stream_options = undefined;
  }
  const { response, target, failovers } = await sender.send(request, JSON.stringify(openai));
  if (!request.stream) {
    const completion = (await readJson(response, sender.name, {
      dialect: "openai",
      secrets: sender.secrets,
    })) as OpenAIChatCompletion;
    const message = convertOpenAIResponseToAnthropic(completion);
    request.response.json(200, message);
    const u = message.usage;
    const usage: UsageSummary = { inputTokens: u.input_tokens, outputTokens: u.output_tokens };
    if (u.cache_read_input_tokens) usage.cacheReadTokens = u.cache_read_input_tokens;
    return failovers > 0
      ? { status: 200, target: target.id, usage, failovers }
      : { status: 200, target: target.id, usage };
  }
  const translation = openAIToAnthropicTranslation({
    backend: sender.name,
    secrets: sender.secrets,
  });
  const error = await pipeTranslatedStream({
    response,
    sink: request.response,
    callerDialect: "anthropic",
    translation,
    backend: sender.name,
  });
  const result: BackendResult = { status: 200, target: target.id };
  const usage = translation.usage();
  if (usage !== undefined) result.usage = usage;
  if (error !== undefined) result.error = error;
  if (failovers > 0) result.failovers = failovers;
  return result;
}
