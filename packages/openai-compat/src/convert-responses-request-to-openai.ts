import { asTranslationError } from "./internal/malformed.js";
import { convertResponsesInput } from "./internal/responses-input.js";
import { convertResponsesTools } from "./internal/responses-tools.js";
import { isRecord, unsupported } from "./internal/unsupported.js";
import type {
  OpenAIChatRequest,
  OpenAIContentPart,
  OpenAIMessage,
  OpenAIResponseFormat,
  OpenAITextContentPart,
  OpenAIToolMessage,
} from "./types/openai.js";
import type { ResponsesRequest } from "./types/responses.js";

/** Options of {@link convertResponsesRequestToOpenAI}. */
export interface ConvertResponsesRequestOptions {
  /** Field that carries `max_output_tokens`. Default `max_completion_tokens`. */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  /**
   * Role of `developer` messages: `"developer"` (default, as OpenAI's own models take it) or
   * `"system"` for compatible servers that only know `system`.
   */
  developerRole?: "developer" | "system";
}

/** A translated request plus what had to be left out of it. */
export interface ConvertedResponsesRequest<T> {
  request: T;
  /**
   * Tools and history items the target cannot run or carry, left out (see the table in the
   * README): e.g. `["tool:web_search", "item:web_search_call"]`. Report them to the caller.
   */
  omitted: string[];
}

/** Fields that only make sense with state kept by the server between requests. */
const STATEFUL = ["previous_response_id", "conversation", "prompt"] as const;

/**
 * Converts an OpenAI Responses request to a Chat Completions request.
 *
 * `instructions` becomes the first `system` message; input messages keep their roles;
 * `function_call` items become assistant `tool_calls` (consecutive calls share one
 * assistant message) and `function_call_output` items `tool` messages, paired by `call_id`.
 * Reasoning items are dropped (Chat Completions has no way to send them back). Function
 * tools are flattened back under `function`; a `custom` tool becomes a function with one
 * string parameter `input` and a `namespace`'s tools functions named `<namespace>__<tool>`
 * (their calls map back in the response); hosted tools (`web_search`, …) are left out and
 * listed in `omitted`. Requests that need
 * server-side state (`previous_response_id`, `conversation`, `item_reference`,
 * `background`) throw a 400 `TranslationError`: a translated upstream keeps no state.
 *
 * @example
 * const { request } = convertResponsesRequestToOpenAI({ model: "gpt-4o", input: "Hi" });
 * // { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] }
 */
export function convertResponsesRequestToOpenAI(
  request: ResponsesRequest,
  options: ConvertResponsesRequestOptions = {},
): ConvertedResponsesRequest<OpenAIChatRequest> {
  try {
    return convertResponsesRequestToChat(request, options, false);
  } catch (error) {
    throw asTranslationError(error, "request");
  }
}

/**
 * The Chat Completions form of a Responses request. `forAnthropic`: the form the Anthropic
 * path converts further: reasoning items that carry Anthropic thinking ride on assistant
 * turns as `thinking_blocks` (converted to blocks there; never sent to a Chat Completions
 * upstream), and nothing Anthropic has no place for (`stream_options`, `verbosity`) is set
 * (deleting it afterwards would turn the object into a slow dictionary).
 */
export function convertResponsesRequestToChat(
  request: ResponsesRequest,
  options: ConvertResponsesRequestOptions,
  forAnthropic: boolean,
): ConvertedResponsesRequest<OpenAIChatRequest> {
  const { maxTokensField = "max_completion_tokens", developerRole = "developer" } = options;
  if (!isRecord(request)) unsupported("body", "The request must be an object", "invalid_request");
  for (const key of STATEFUL) {
    if (request[key] !== undefined && request[key] !== null) {
      unsupported(
        key,
        `switchyard is stateless on this route: "${key}" needs state the upstream does not keep; send the whole conversation in "input" (with store: false) instead`,
        "invalid_request",
      );
    }
  }
  if (request.background === true) {
    unsupported(
      "background",
      "switchyard is stateless on this route: background responses cannot be polled later",
      "invalid_request",
    );
  }
  const omitted: string[] = [];
  const { messages, omittedItems } = convertResponsesInput(request.input, {
    instructions: request.instructions,
    developerRole,
    thinking: forAnthropic,
  });
  omitted.push(...omittedItems);

  const out: OpenAIChatRequest = {
    model: request.model,
    // Anthropic takes images in a tool result; Chat Completions only text (see below).
    messages: forAnthropic ? messages : withToolMediaMoved(messages),
  };
  const tools = convertResponsesTools(request.tools, request.tool_choice);
  omitted.push(...tools.omitted);
  if (tools.tools.length > 0) {
    out.tools = tools.tools;
    if (tools.toolChoice !== undefined) out.tool_choice = tools.toolChoice;
    if (typeof request.parallel_tool_calls === "boolean")
      out.parallel_tool_calls = request.parallel_tool_calls;
  }

  if (typeof request.max_output_tokens === "number")
    out[maxTokensField] = request.max_output_tokens;
  if (typeof request.temperature === "number") out.temperature = request.temperature;
  if (typeof request.top_p === "number") out.top_p = request.top_p;
  if (isRecord(request.metadata)) out.metadata = request.metadata;
  if (typeof request.user === "string") out.user = request.user;
  if (typeof request.safety_identifier === "string")
    out.safety_identifier = request.safety_identifier;
  if (typeof request.prompt_cache_key === "string") out.prompt_cache_key = request.prompt_cache_key;
  if (typeof request.service_tier === "string") out.service_tier = request.service_tier;
  const effort = request.reasoning?.effort;
  if (typeof effort === "string") out.reasoning_effort = effort;
  const format = convertTextFormat(request.text?.format);
  if (format !== undefined) out.response_format = format;
  // `text.verbosity` is a soft hint with no Anthropic counterpart.
  const verbosity = request.text?.verbosity;
  if (typeof verbosity === "string" && !forAnthropic) out.verbosity = verbosity;
  if (request.stream === true) {
    out.stream = true;
    // Anthropic has no stream options.
    if (!forAnthropic) out.stream_options = { include_usage: true };
  }
  return { request: out, omitted };
}

/**
 * A Chat Completions `tool` message takes only text. A tool output with images or files (a
 * Codex `view_image`) keeps its text in the `tool` message, and its other parts go in a
 * `user` message right after the run of `tool` messages it belongs to (an assistant's tool
 * calls must be answered by `tool` messages before anything else), introduced as the
 * attachments of that call, as the Anthropic → Chat conversion does. The messages are
 * returned as they are when no tool output holds such a part.
 */
function withToolMediaMoved(messages: OpenAIMessage[]): OpenAIMessage[] {
  if (!messages.some(isToolWithMedia)) return messages;
  const out: OpenAIMessage[] = [];
  let media: OpenAIContentPart[] = [];
  const flush = () => {
    if (media.length > 0) out.push({ role: "user", content: media });
    media = [];
  };
  for (const message of messages) {
    if (message.role !== "tool") flush();
    if (!isToolWithMedia(message)) {
      out.push(message);
      continue;
    }
    const tool = message as OpenAIToolMessage;
    const parts = tool.content as unknown as OpenAIContentPart[];
    const text = parts.filter((p): p is OpenAITextContentPart => p.type === "text");
    out.push({ ...tool, content: text.length > 0 ? text : "" });
    media.push(
      { type: "text", text: `Attachments of tool result ${tool.tool_call_id}:` },
      ...parts.filter((p) => p.type !== "text"),
    );
  }
  flush();
  return out;
}

const isToolWithMedia = (message: OpenAIMessage): boolean =>
  message.role === "tool" &&
  Array.isArray(message.content) &&
  (message.content as unknown as OpenAIContentPart[]).some((p) => p.type !== "text");

function convertTextFormat(
  format: NonNullable<ResponsesRequest["text"]>["format"],
): OpenAIResponseFormat | undefined {
  if (format === undefined || format === null) return undefined;
  switch (format.type) {
    case "text":
      return undefined;
    case "json_object":
      return { type: "json_object" };
    case "json_schema": {
      const { name, schema, description, strict } = format as Extract<
        typeof format,
        { type: "json_schema" }
      >;
      const json_schema: Extract<OpenAIResponseFormat, { type: "json_schema" }>["json_schema"] = {
        name,
      };
      if (schema !== undefined) json_schema.schema = schema;
      if (description !== undefined) json_schema.description = description;
      if (strict !== undefined) json_schema.strict = strict;
      return { type: "json_schema", json_schema };
    }
    default:
      return unsupported(
        "text.format",
        `text.format type "${String((format as { type?: unknown }).type)}" is not supported`,
      );
  }
}
