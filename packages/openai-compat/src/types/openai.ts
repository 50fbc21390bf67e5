/**
 * OpenAI Chat Completions wire types (requests, responses, stream chunks, errors).
 *
 * Modelled on the official API reference and the `openai` SDK (v6). Every object carries
 * an index signature so fields added upstream (or sent by OpenAI-compatible servers such
 * as vLLM, OpenRouter, DeepSeek) are accepted and passed through instead of rejected.
 */

/** Fields this package does not model are allowed and preserved where possible. */
export type OpenAIExtra = { [key: string]: unknown };

// ---------------------------------------------------------------------------------------
// Request: content parts
// ---------------------------------------------------------------------------------------

/** A text content part. */
export interface OpenAITextContentPart extends OpenAIExtra {
  type: "text";
  text: string;
}

/** An image content part: an `https:` URL or a `data:<mime>;base64,` URL. */
export interface OpenAIImageContentPart extends OpenAIExtra {
  type: "image_url";
  image_url: { url: string; detail?: "auto" | "low" | "high" } & OpenAIExtra;
}

/** An audio input content part (base64 wav/mp3). */
export interface OpenAIInputAudioContentPart extends OpenAIExtra {
  type: "input_audio";
  input_audio: { data: string; format: "wav" | "mp3" | (string & {}) } & OpenAIExtra;
}

/** A file content part: inline `file_data` (a data URL) or an uploaded `file_id`. */
export interface OpenAIFileContentPart extends OpenAIExtra {
  type: "file";
  file: { file_data?: string; file_id?: string; filename?: string } & OpenAIExtra;
}

/** A refusal part (assistant messages only). */
export interface OpenAIRefusalContentPart extends OpenAIExtra {
  type: "refusal";
  refusal: string;
}

/** Any user content part. */
export type OpenAIContentPart =
  | OpenAITextContentPart
  | OpenAIImageContentPart
  | OpenAIInputAudioContentPart
  | OpenAIFileContentPart;

// ---------------------------------------------------------------------------------------
// Request: messages
// ---------------------------------------------------------------------------------------

/** A `system` message. */
export interface OpenAISystemMessage extends OpenAIExtra {
  role: "system";
  content: string | OpenAITextContentPart[];
  name?: string;
}

/** A `developer` message (the o-series successor of `system`). */
export interface OpenAIDeveloperMessage extends OpenAIExtra {
  role: "developer";
  content: string | OpenAITextContentPart[];
  name?: string;
}

/** A `user` message. */
export interface OpenAIUserMessage extends OpenAIExtra {
  role: "user";
  content: string | OpenAIContentPart[];
  name?: string;
}

/** A function tool call made by the assistant. */
export interface OpenAIToolCall extends OpenAIExtra {
  id: string;
  type: "function";
  function: { name: string; arguments: string } & OpenAIExtra;
}

/** An `assistant` message (history or response). */
export interface OpenAIAssistantMessage extends OpenAIExtra {
  role: "assistant";
  content?: string | Array<OpenAITextContentPart | OpenAIRefusalContentPart> | null;
  refusal?: string | null;
  tool_calls?: OpenAIToolCall[];
  /** Deprecated single function call. */
  function_call?: { name: string; arguments: string } | null;
  name?: string;
  /** Reasoning text as DeepSeek, vLLM and OpenRouter emit it (non-standard). */
  reasoning_content?: string | null;
  /** Reasoning text as some OpenRouter/Groq models emit it (non-standard). */
  reasoning?: string | null;
  /**
   * Anthropic thinking blocks with their signatures, sent back to Anthropic first in the
   * turn (non-standard, LiteLLM's convention); other upstreams never see them.
   */
  thinking_blocks?: Array<
    | ({ type: "thinking"; thinking: string; signature: string } & OpenAIExtra)
    | ({ type: "redacted_thinking"; data: string } & OpenAIExtra)
  >;
}

/** A `tool` message carrying a tool call's result. */
export interface OpenAIToolMessage extends OpenAIExtra {
  role: "tool";
  content: string | OpenAITextContentPart[];
  tool_call_id: string;
}

/** A deprecated `function` message. */
export interface OpenAIFunctionMessage extends OpenAIExtra {
  role: "function";
  content: string | null;
  name: string;
}

/** Any Chat Completions message. */
export type OpenAIMessage =
  | OpenAISystemMessage
  | OpenAIDeveloperMessage
  | OpenAIUserMessage
  | OpenAIAssistantMessage
  | OpenAIToolMessage
  | OpenAIFunctionMessage;

// ---------------------------------------------------------------------------------------
// Request: tools and options
// ---------------------------------------------------------------------------------------

/** A function definition. */
export interface OpenAIFunctionDefinition extends OpenAIExtra {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean | null;
}

/** A function tool. */
export interface OpenAITool extends OpenAIExtra {
  type: "function";
  function: OpenAIFunctionDefinition;
}

/** A named tool choice. */
export interface OpenAINamedToolChoice extends OpenAIExtra {
  type: "function";
  function: { name: string };
}

/** `tool_choice`. */
export type OpenAIToolChoice = "none" | "auto" | "required" | OpenAINamedToolChoice;

/** `response_format`. */
export type OpenAIResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: {
        name: string;
        description?: string;
        schema?: Record<string, unknown>;
        strict?: boolean | null;
      } & OpenAIExtra;
    };

/** `reasoning_effort`. */
export type OpenAIReasoningEffort =
  | "none"
  | "minimal"
  | "low"
  | "medium"
  | "high"
  | "xhigh"
  | (string & {});

/** `stream_options`. */
export interface OpenAIStreamOptions extends OpenAIExtra {
  include_usage?: boolean;
  include_obfuscation?: boolean;
}

/** A Chat Completions request body (`POST /v1/chat/completions`). */
export interface OpenAIChatRequest extends OpenAIExtra {
  model: string;
  messages: OpenAIMessage[];
  tools?: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  parallel_tool_calls?: boolean;
  /** Deprecated predecessors of `tools` / `tool_choice`. */
  functions?: OpenAIFunctionDefinition[];
  function_call?: "none" | "auto" | { name: string };
  stop?: string | string[] | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  user?: string;
  safety_identifier?: string;
  metadata?: Record<string, string> | null;
  response_format?: OpenAIResponseFormat;
  reasoning_effort?: OpenAIReasoningEffort | null;
  stream?: boolean | null;
  stream_options?: OpenAIStreamOptions | null;
  seed?: number | null;
  prompt_cache_key?: string;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  modalities?: Array<"text" | "audio"> | null;
  audio?: { voice: string; format: string } | null;
  store?: boolean | null;
  service_tier?: string | null;
  /** Non-standard, accepted by vLLM and other compatible servers. */
  top_k?: number | null;
}

// ---------------------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------------------

/** Why generation stopped. */
export type OpenAIFinishReason =
  | "stop"
  | "length"
  | "tool_calls"
  | "content_filter"
  | "function_call";

/** Token usage of a completion. */
export interface OpenAIUsage extends OpenAIExtra {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: ({ cached_tokens?: number; audio_tokens?: number } & OpenAIExtra) | null;
  completion_tokens_details?:
    | ({
        reasoning_tokens?: number;
        audio_tokens?: number;
        accepted_prediction_tokens?: number;
        rejected_prediction_tokens?: number;
      } & OpenAIExtra)
    | null;
}

/** The assistant message inside a `ChatCompletion` choice. */
export interface OpenAIResponseMessage extends OpenAIExtra {
  role: "assistant";
  content: string | null;
  refusal?: string | null;
  tool_calls?: OpenAIToolCall[];
  reasoning_content?: string | null;
  reasoning?: string | null;
  annotations?: unknown[];
}

/** One choice of a `ChatCompletion`. */
export interface OpenAIChoice extends OpenAIExtra {
  index: number;
  message: OpenAIResponseMessage;
  finish_reason: OpenAIFinishReason | null;
  /** vLLM extension: the stop string (or token id) that ended generation. */
  stop_reason?: string | number | null;
  logprobs?: unknown;
}

/** A Chat Completions response body (`object: "chat.completion"`). */
export interface OpenAIChatCompletion extends OpenAIExtra {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: OpenAIChoice[];
  usage?: OpenAIUsage;
  system_fingerprint?: string | null;
  service_tier?: string | null;
}

// ---------------------------------------------------------------------------------------
// Stream
// ---------------------------------------------------------------------------------------

/** A tool call fragment inside a stream delta. */
export interface OpenAIToolCallDelta extends OpenAIExtra {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string } & OpenAIExtra;
}

/** The `delta` of a stream chunk choice. */
export interface OpenAIChunkDelta extends OpenAIExtra {
  role?: "assistant";
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: OpenAIToolCallDelta[];
}

/** One choice of a stream chunk. */
export interface OpenAIChunkChoice extends OpenAIExtra {
  index: number;
  delta: OpenAIChunkDelta;
  finish_reason: OpenAIFinishReason | null;
  /** vLLM extension: the stop string (or token id) that ended generation. */
  stop_reason?: string | number | null;
  logprobs?: unknown;
}

/** A stream chunk (`object: "chat.completion.chunk"`), sent as an SSE `data:` line. */
export interface OpenAIChatCompletionChunk extends OpenAIExtra {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: OpenAIChunkChoice[];
  /** Present on the final chunk when `stream_options.include_usage` is set; else null/absent. */
  usage?: OpenAIUsage | null;
  system_fingerprint?: string | null;
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/** An OpenAI error body: `{ error: { message, type, param, code } }`. */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  } & OpenAIExtra;
}
