/**
 * Anthropic Messages API wire types (requests, responses, stream events, errors).
 *
 * Modelled on the official API reference and `@anthropic-ai/sdk`. Every object carries an
 * index signature so fields added upstream are accepted and passed through, not rejected.
 */

/** Fields this package does not model are allowed and preserved where possible. */
export type AnthropicExtra = { [key: string]: unknown };

/** A prompt-cache breakpoint. */
export interface AnthropicCacheControl extends AnthropicExtra {
  type: "ephemeral";
  ttl?: "5m" | "1h";
}

// ---------------------------------------------------------------------------------------
// Content blocks
// ---------------------------------------------------------------------------------------

/** A text block. `citations` appear on responses and may be sent back. */
export interface AnthropicTextBlock extends AnthropicExtra {
  type: "text";
  text: string;
  cache_control?: AnthropicCacheControl | null;
  citations?: unknown[] | null;
}

/** Base64 image data. */
export interface AnthropicBase64ImageSource extends AnthropicExtra {
  type: "base64";
  media_type: "image/jpeg" | "image/png" | "image/gif" | "image/webp" | (string & {});
  data: string;
}

/** An image fetched by Anthropic from a URL. */
export interface AnthropicUrlSource extends AnthropicExtra {
  type: "url";
  url: string;
}

/** An image block. */
export interface AnthropicImageBlock extends AnthropicExtra {
  type: "image";
  source:
    | AnthropicBase64ImageSource
    | AnthropicUrlSource
    | ({ type: "file"; file_id: string } & AnthropicExtra);
  cache_control?: AnthropicCacheControl | null;
}

/** Base64 PDF data. */
export interface AnthropicBase64PdfSource extends AnthropicExtra {
  type: "base64";
  media_type: "application/pdf";
  data: string;
}

/** Plain-text document data. */
export interface AnthropicPlainTextSource extends AnthropicExtra {
  type: "text";
  media_type: "text/plain";
  data: string;
}

/** A document block (PDF or plain text; base64, text, URL or uploaded file). */
export interface AnthropicDocumentBlock extends AnthropicExtra {
  type: "document";
  source:
    | AnthropicBase64PdfSource
    | AnthropicPlainTextSource
    | AnthropicUrlSource
    | ({ type: "file"; file_id: string } & AnthropicExtra)
    | ({ type: "content"; content: string | AnthropicTextBlock[] } & AnthropicExtra);
  title?: string | null;
  context?: string | null;
  citations?: { enabled?: boolean } | null;
  cache_control?: AnthropicCacheControl | null;
}

/** A tool call made by the assistant. */
export interface AnthropicToolUseBlock extends AnthropicExtra {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
  cache_control?: AnthropicCacheControl | null;
}

/** A tool call's result, sent in a user turn. */
export interface AnthropicToolResultBlock extends AnthropicExtra {
  type: "tool_result";
  tool_use_id: string;
  content?: string | Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock>;
  is_error?: boolean;
  cache_control?: AnthropicCacheControl | null;
}

/** Extended-thinking text with its integrity signature. */
export interface AnthropicThinkingBlock extends AnthropicExtra {
  type: "thinking";
  thinking: string;
  signature: string;
}

/** Thinking the safety system encrypted. */
export interface AnthropicRedactedThinkingBlock extends AnthropicExtra {
  type: "redacted_thinking";
  data: string;
}

/** Any block a request message may carry. */
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

/** Any block a response `Message` may carry (the modelled subset). */
export type AnthropicResponseContentBlock =
  | AnthropicTextBlock
  | AnthropicToolUseBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

// ---------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------

/** A conversation turn. */
export interface AnthropicMessageParam extends AnthropicExtra {
  role: "user" | "assistant";
  content: string | AnthropicContentBlock[];
}

/**
 * A `system` turn inside `messages`. Current Claude Code versions may send these; they
 * are folded into the top-level system prompt in order by this package.
 */
export interface AnthropicSystemMessageParam extends AnthropicExtra {
  role: "system";
  content: string | AnthropicTextBlock[];
}

/** A custom (client) tool definition. */
export interface AnthropicTool extends AnthropicExtra {
  name: string;
  description?: string;
  input_schema: { type: "object"; properties?: Record<string, unknown> | null } & AnthropicExtra;
  type?: "custom";
  cache_control?: AnthropicCacheControl | null;
}

/** `tool_choice`. */
export type AnthropicToolChoice =
  | ({ type: "auto"; disable_parallel_tool_use?: boolean } & AnthropicExtra)
  | ({ type: "any"; disable_parallel_tool_use?: boolean } & AnthropicExtra)
  | ({ type: "tool"; name: string; disable_parallel_tool_use?: boolean } & AnthropicExtra)
  | ({ type: "none" } & AnthropicExtra);

/** `thinking`: manual budget, disabled, or (newer models) adaptive. */
export type AnthropicThinkingConfig =
  | ({ type: "enabled"; budget_tokens: number } & AnthropicExtra)
  | ({ type: "disabled" } & AnthropicExtra)
  | ({ type: "adaptive" } & AnthropicExtra);

/** `output_config`: effort and native structured outputs. */
export interface AnthropicOutputConfig extends AnthropicExtra {
  effort?: "low" | "medium" | "high" | "xhigh" | "max" | null;
  format?: ({ type: "json_schema"; schema: Record<string, unknown> } & AnthropicExtra) | null;
}

/** A Messages request body (`POST /v1/messages`). */
export interface AnthropicMessagesRequest extends AnthropicExtra {
  model: string;
  max_tokens: number;
  messages: Array<AnthropicMessageParam | AnthropicSystemMessageParam>;
  system?: string | AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  metadata?: { user_id?: string | null } & AnthropicExtra;
  thinking?: AnthropicThinkingConfig;
  /** Effort level and structured-output JSON schema (newer API versions). */
  output_config?: AnthropicOutputConfig;
  stream?: boolean;
  service_tier?: "auto" | "standard_only";
}

// ---------------------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------------------

/** Why generation stopped. */
export type AnthropicStopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "pause_turn"
  | "refusal"
  | "model_context_window_exceeded";

/** Token usage of a message. `input_tokens` excludes cache reads and cache writes. */
export interface AnthropicUsage extends AnthropicExtra {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** Breakdown of `output_tokens`; `thinking_tokens` counts reasoning (newer API versions). */
  output_tokens_details?: ({ thinking_tokens?: number } & AnthropicExtra) | null;
  service_tier?: string | null;
}

/** A Messages response body (`type: "message"`). */
export interface AnthropicMessage extends AnthropicExtra {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicResponseContentBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

// ---------------------------------------------------------------------------------------
// Stream events
// ---------------------------------------------------------------------------------------

/** Delta of a text block. */
export interface AnthropicTextDelta extends AnthropicExtra {
  type: "text_delta";
  text: string;
}
/** Partial JSON of a tool_use block's input. */
export interface AnthropicInputJsonDelta extends AnthropicExtra {
  type: "input_json_delta";
  partial_json: string;
}
/** Delta of a thinking block. */
export interface AnthropicThinkingDelta extends AnthropicExtra {
  type: "thinking_delta";
  thinking: string;
}
/** Signature of a thinking block, sent just before its `content_block_stop`. */
export interface AnthropicSignatureDelta extends AnthropicExtra {
  type: "signature_delta";
  signature: string;
}
/** A citation added to a text block. */
export interface AnthropicCitationsDelta extends AnthropicExtra {
  type: "citations_delta";
  citation: unknown;
}

/** Any content block delta. */
export type AnthropicContentBlockDelta =
  | AnthropicTextDelta
  | AnthropicInputJsonDelta
  | AnthropicThinkingDelta
  | AnthropicSignatureDelta
  | AnthropicCitationsDelta;

/** `message_start`: the message with empty content. */
export interface AnthropicMessageStartEvent extends AnthropicExtra {
  type: "message_start";
  message: AnthropicMessage;
}
/** `content_block_start`. */
export interface AnthropicContentBlockStartEvent extends AnthropicExtra {
  type: "content_block_start";
  index: number;
  content_block: AnthropicResponseContentBlock;
}
/** `content_block_delta`. */
export interface AnthropicContentBlockDeltaEvent extends AnthropicExtra {
  type: "content_block_delta";
  index: number;
  delta: AnthropicContentBlockDelta;
}
/** `content_block_stop`. */
export interface AnthropicContentBlockStopEvent extends AnthropicExtra {
  type: "content_block_stop";
  index: number;
}
/** `message_delta`: final stop reason and cumulative usage. */
export interface AnthropicMessageDeltaEvent extends AnthropicExtra {
  type: "message_delta";
  delta: {
    stop_reason: AnthropicStopReason | null;
    stop_sequence?: string | null;
  } & AnthropicExtra;
  usage: Partial<AnthropicUsage> & { output_tokens: number };
}
/** `message_stop`. */
export interface AnthropicMessageStopEvent extends AnthropicExtra {
  type: "message_stop";
}
/** `ping` keep-alive. */
export interface AnthropicPingEvent extends AnthropicExtra {
  type: "ping";
}
/** `error` sent mid-stream (e.g. `overloaded_error`). */
export interface AnthropicErrorEvent extends AnthropicExtra {
  type: "error";
  error: { type: AnthropicErrorType; message: string } & AnthropicExtra;
}

/** Any Messages stream event. */
export type AnthropicStreamEvent =
  | AnthropicMessageStartEvent
  | AnthropicContentBlockStartEvent
  | AnthropicContentBlockDeltaEvent
  | AnthropicContentBlockStopEvent
  | AnthropicMessageDeltaEvent
  | AnthropicMessageStopEvent
  | AnthropicPingEvent
  | AnthropicErrorEvent;

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/** Anthropic error `type`s (the set may grow upstream). */
export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "billing_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "timeout_error"
  | "api_error"
  | "overloaded_error"
  | (string & {});

/** An Anthropic error body: `{ type: "error", error: { type, message } }`. */
export interface AnthropicErrorBody extends AnthropicExtra {
  type: "error";
  error: { type: AnthropicErrorType; message: string } & AnthropicExtra;
  request_id?: string;
}
