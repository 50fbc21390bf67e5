/**
 * OpenAI Responses API wire types (`POST /v1/responses`): requests, input and output items,
 * the `Response` object, stream events and usage.
 *
 * Modelled on the official API reference and the `openai` SDK (v6,
 * `resources/responses/responses.d.ts`). Every object carries an index signature so fields
 * added upstream (or sent by Codex and other clients) are accepted and passed through.
 */

/** Fields this package does not model are allowed and preserved where possible. */
export type ResponsesExtra = { [key: string]: unknown };

// ---------------------------------------------------------------------------------------
// Input content
// ---------------------------------------------------------------------------------------

/** Text input. `cache_control` is the Anthropic-style breakpoint some clients add. */
export interface ResponsesInputText extends ResponsesExtra {
  type: "input_text";
  text: string;
}

/** Image input: an `https:` URL or a data URL in `image_url`, or an uploaded `file_id`. */
export interface ResponsesInputImage extends ResponsesExtra {
  type: "input_image";
  image_url?: string | null;
  file_id?: string | null;
  detail?: "low" | "high" | "auto" | "original" | null;
}

/** File input: inline `file_data` (a data URL), a `file_url`, or an uploaded `file_id`. */
export interface ResponsesInputFile extends ResponsesExtra {
  type: "input_file";
  file_data?: string;
  file_id?: string | null;
  file_url?: string;
  filename?: string;
}

/** Model output text (an assistant message in the input history, or a response). */
export interface ResponsesOutputText extends ResponsesExtra {
  type: "output_text";
  text: string;
  annotations?: unknown[];
  logprobs?: unknown[];
}

/** A refusal (assistant messages only). */
export interface ResponsesOutputRefusal extends ResponsesExtra {
  type: "refusal";
  refusal: string;
}

/** Any part of an input message's content. */
export type ResponsesInputContent =
  | ResponsesInputText
  | ResponsesInputImage
  | ResponsesInputFile
  | ResponsesOutputText
  | ResponsesOutputRefusal;

// ---------------------------------------------------------------------------------------
// Input items
// ---------------------------------------------------------------------------------------

/** A message: `{ role, content }` (the `type: "message"` is optional on input). */
export interface ResponsesMessageItem extends ResponsesExtra {
  type?: "message";
  role: "user" | "assistant" | "system" | "developer";
  content: string | ResponsesInputContent[];
  id?: string;
  status?: "in_progress" | "completed" | "incomplete";
}

/** A function call the model made. */
export interface ResponsesFunctionCallItem extends ResponsesExtra {
  type: "function_call";
  call_id: string;
  name: string;
  arguments: string;
  id?: string;
  status?: "in_progress" | "completed" | "incomplete";
}

/** A function call's result, paired with its call by `call_id`. */
export interface ResponsesFunctionCallOutputItem extends ResponsesExtra {
  type: "function_call_output";
  call_id: string;
  output: string | Array<ResponsesInputText | ResponsesInputImage | ResponsesInputFile>;
  id?: string | null;
}

/** A call of a `custom` tool: its input is free text (or text in the tool's grammar). */
export interface ResponsesCustomToolCallItem extends ResponsesExtra {
  type: "custom_tool_call";
  call_id: string;
  name: string;
  input: string;
  id?: string;
  namespace?: string;
  status?: "in_progress" | "completed" | "incomplete";
}

/** A custom tool call's result, paired with its call by `call_id`. */
export interface ResponsesCustomToolCallOutputItem extends ResponsesExtra {
  type: "custom_tool_call_output";
  call_id: string;
  output: string | Array<ResponsesInputText | ResponsesInputImage | ResponsesInputFile>;
  id?: string | null;
}

/** A reasoning item: summary text and (with `include`) encrypted content. */
export interface ResponsesReasoningItem extends ResponsesExtra {
  type: "reasoning";
  id?: string;
  summary: Array<{ type: "summary_text"; text: string } & ResponsesExtra>;
  content?: Array<{ type: "reasoning_text"; text: string } & ResponsesExtra>;
  encrypted_content?: string | null;
  status?: "in_progress" | "completed" | "incomplete";
}

/** Any other input item (`item_reference`, `custom_tool_call`, hosted tool calls, …). */
export interface ResponsesOtherItem extends ResponsesExtra {
  type: string;
}

/** One input item. */
export type ResponsesInputItem =
  | ResponsesMessageItem
  | ResponsesFunctionCallItem
  | ResponsesFunctionCallOutputItem
  | ResponsesReasoningItem
  | ResponsesCustomToolCallItem
  | ResponsesCustomToolCallOutputItem
  | ResponsesOtherItem;

// ---------------------------------------------------------------------------------------
// Tools and options
// ---------------------------------------------------------------------------------------

/** A function tool (flat: `name` at the top, not under `function`). */
export interface ResponsesFunctionTool extends ResponsesExtra {
  type: "function";
  name: string;
  description?: string | null;
  parameters?: Record<string, unknown> | null;
  strict?: boolean | null;
}

/** A `custom` tool: one free-text input, optionally constrained by a grammar (`lark`, `regex`). */
export interface ResponsesCustomTool extends ResponsesExtra {
  type: "custom";
  name: string;
  description?: string;
  format?:
    | ({ type: "text" } & ResponsesExtra)
    | ({
        type: "grammar";
        syntax: "lark" | "regex" | (string & {});
        definition: string;
      } & ResponsesExtra);
}

/** A `namespace` tool: function and custom tools grouped under one name (Codex sends them). */
export interface ResponsesNamespaceTool extends ResponsesExtra {
  type: "namespace";
  name: string;
  description?: string;
  tools: Array<ResponsesFunctionTool | ResponsesCustomTool>;
}

/** Any other tool: hosted (`web_search`, `file_search`, …), `custom`, `namespace`, `mcp`, … */
export interface ResponsesOtherTool extends ResponsesExtra {
  type: string;
}

/** One tool. */
export type ResponsesTool =
  | ResponsesFunctionTool
  | ResponsesCustomTool
  | ResponsesNamespaceTool
  | ResponsesOtherTool;

/** `tool_choice`. */
export type ResponsesToolChoice =
  | "none"
  | "auto"
  | "required"
  | ({ type: "function"; name: string } & ResponsesExtra)
  | ({ type: string } & ResponsesExtra);

/** `text.format`. */
export type ResponsesTextFormat =
  | ({ type: "text" } & ResponsesExtra)
  | ({ type: "json_object" } & ResponsesExtra)
  | ({
      type: "json_schema";
      name: string;
      schema: Record<string, unknown>;
      description?: string;
      strict?: boolean | null;
    } & ResponsesExtra);

/** `reasoning`. */
export interface ResponsesReasoningConfig extends ResponsesExtra {
  effort?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | (string & {}) | null;
  summary?: "auto" | "concise" | "detailed" | null;
}

/** A Responses request body (`POST /v1/responses`). */
export interface ResponsesRequest extends ResponsesExtra {
  model: string;
  input?: string | ResponsesInputItem[];
  instructions?: string | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  tools?: ResponsesTool[];
  tool_choice?: ResponsesToolChoice;
  parallel_tool_calls?: boolean | null;
  reasoning?: ResponsesReasoningConfig | null;
  text?: ({ format?: ResponsesTextFormat; verbosity?: string | null } & ResponsesExtra) | null;
  metadata?: Record<string, string> | null;
  prompt_cache_key?: string;
  store?: boolean | null;
  stream?: boolean | null;
  include?: string[] | null;
  previous_response_id?: string | null;
  user?: string;
  safety_identifier?: string;
  service_tier?: string | null;
}

// ---------------------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------------------

/** An assistant message in `output`. */
export interface ResponsesOutputMessage extends ResponsesExtra {
  type: "message";
  id: string;
  role: "assistant";
  status: "in_progress" | "completed" | "incomplete";
  content: Array<ResponsesOutputText | ResponsesOutputRefusal>;
}

/** One item of `output`. */
export type ResponsesOutputItem =
  | ResponsesOutputMessage
  | (ResponsesFunctionCallItem & { id: string })
  | (ResponsesCustomToolCallItem & { id: string })
  | (ResponsesReasoningItem & { id: string });

/** Token usage. `input_tokens` includes cached tokens, as in Chat Completions. */
export interface ResponsesUsage extends ResponsesExtra {
  input_tokens: number;
  /** `cache_write_tokens`: input written to the prompt cache (also counted in `input_tokens`). */
  input_tokens_details: { cached_tokens: number; cache_write_tokens?: number } & ResponsesExtra;
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number } & ResponsesExtra;
  total_tokens: number;
}

/** Lifecycle status of a response. */
export type ResponsesStatus = "in_progress" | "completed" | "incomplete" | "failed" | "cancelled";

/** A `Response` object (`object: "response"`). */
export interface ResponsesResponse extends ResponsesExtra {
  id: string;
  object: "response";
  created_at: number;
  status: ResponsesStatus;
  model: string;
  output: ResponsesOutputItem[];
  error: ({ code: string; message: string } & ResponsesExtra) | null;
  incomplete_details: { reason?: "max_output_tokens" | "content_filter" | (string & {}) } | null;
  instructions: string | ResponsesInputItem[] | null;
  metadata: Record<string, string> | null;
  parallel_tool_calls: boolean;
  temperature: number | null;
  top_p: number | null;
  tool_choice: ResponsesToolChoice;
  tools: ResponsesTool[];
  max_output_tokens?: number | null;
  previous_response_id?: string | null;
  reasoning?: ResponsesReasoningConfig | null;
  store?: boolean;
  text?: ResponsesRequest["text"];
  usage: ResponsesUsage | null;
  /** Convenience text the SDKs compute; servers may send it. */
  output_text?: string;
}

// ---------------------------------------------------------------------------------------
// Stream events
// ---------------------------------------------------------------------------------------

/** The fields every stream event has. */
interface ResponsesEventBase extends ResponsesExtra {
  sequence_number: number;
}

/** `response.created` / `response.in_progress` / the three terminal events. */
export interface ResponsesLifecycleEvent extends ResponsesEventBase {
  type:
    | "response.created"
    | "response.in_progress"
    | "response.completed"
    | "response.incomplete"
    | "response.failed";
  response: ResponsesResponse;
}

/** `response.output_item.added` / `.done`. */
export interface ResponsesOutputItemEvent extends ResponsesEventBase {
  type: "response.output_item.added" | "response.output_item.done";
  output_index: number;
  item: ResponsesOutputItem;
}

/** `response.content_part.added` / `.done`. */
export interface ResponsesContentPartEvent extends ResponsesEventBase {
  type: "response.content_part.added" | "response.content_part.done";
  item_id: string;
  output_index: number;
  content_index: number;
  part: ResponsesOutputText | ResponsesOutputRefusal;
}

/** `response.output_text.delta`. */
export interface ResponsesTextDeltaEvent extends ResponsesEventBase {
  type: "response.output_text.delta";
  item_id: string;
  output_index: number;
  content_index: number;
  delta: string;
  logprobs: unknown[];
}

/** `response.output_text.done`. */
export interface ResponsesTextDoneEvent extends ResponsesEventBase {
  type: "response.output_text.done";
  item_id: string;
  output_index: number;
  content_index: number;
  text: string;
  logprobs: unknown[];
}

/** `response.function_call_arguments.delta`. */
export interface ResponsesFunctionCallArgumentsDeltaEvent extends ResponsesEventBase {
  type: "response.function_call_arguments.delta";
  item_id: string;
  output_index: number;
  delta: string;
}

/** `response.function_call_arguments.done`. */
export interface ResponsesFunctionCallArgumentsDoneEvent extends ResponsesEventBase {
  type: "response.function_call_arguments.done";
  item_id: string;
  output_index: number;
  name: string;
  arguments: string;
}

/** `response.custom_tool_call_input.delta`. */
export interface ResponsesCustomToolCallInputDeltaEvent extends ResponsesEventBase {
  type: "response.custom_tool_call_input.delta";
  item_id: string;
  output_index: number;
  delta: string;
}

/** `response.custom_tool_call_input.done`. */
export interface ResponsesCustomToolCallInputDoneEvent extends ResponsesEventBase {
  type: "response.custom_tool_call_input.done";
  item_id: string;
  output_index: number;
  input: string;
}

/** `response.reasoning_summary_part.added` / `.done`. */
export interface ResponsesReasoningSummaryPartEvent extends ResponsesEventBase {
  type: "response.reasoning_summary_part.added" | "response.reasoning_summary_part.done";
  item_id: string;
  output_index: number;
  summary_index: number;
  part: { type: "summary_text"; text: string };
}

/** `response.reasoning_summary_text.delta`. */
export interface ResponsesReasoningSummaryTextDeltaEvent extends ResponsesEventBase {
  type: "response.reasoning_summary_text.delta";
  item_id: string;
  output_index: number;
  summary_index: number;
  delta: string;
}

/** `response.reasoning_summary_text.done`. */
export interface ResponsesReasoningSummaryTextDoneEvent extends ResponsesEventBase {
  type: "response.reasoning_summary_text.done";
  item_id: string;
  output_index: number;
  summary_index: number;
  text: string;
}

/** `error`: an error the server reports outside a `response.failed`. */
export interface ResponsesErrorEvent extends ResponsesEventBase {
  type: "error";
  code: string | null;
  message: string;
  param: string | null;
}

/** Any other event (refusal deltas, hosted tool progress, …): passed over by translators. */
export interface ResponsesOtherEvent extends ResponsesEventBase {
  type: `response.${string}`;
}

/** Any Responses stream event (the SSE `event:` name equals its `type`). */
export type ResponsesStreamEvent =
  | ResponsesLifecycleEvent
  | ResponsesOutputItemEvent
  | ResponsesContentPartEvent
  | ResponsesTextDeltaEvent
  | ResponsesTextDoneEvent
  | ResponsesFunctionCallArgumentsDeltaEvent
  | ResponsesFunctionCallArgumentsDoneEvent
  | ResponsesCustomToolCallInputDeltaEvent
  | ResponsesCustomToolCallInputDoneEvent
  | ResponsesReasoningSummaryPartEvent
  | ResponsesReasoningSummaryTextDeltaEvent
  | ResponsesReasoningSummaryTextDoneEvent
  | ResponsesErrorEvent;
