import { asTranslationError } from "./internal/malformed.js";
import { isRecord, unsupported } from "./internal/unsupported.js";
import type {
  OpenAIChatRequest,
  OpenAIContentPart,
  OpenAIMessage,
  OpenAITextContentPart,
} from "./types/openai.js";
import type {
  ResponsesInputContent,
  ResponsesInputItem,
  ResponsesRequest,
  ResponsesTool,
  ResponsesToolChoice,
} from "./types/responses.js";

/** Options of {@link convertOpenAIRequestToResponses}. */
export interface ConvertOpenAIRequestToResponsesOptions {
  /**
   * Chat Completions parameters the Responses API has no field for (`stop`, `seed`,
   * penalties, `logit_bias`, `logprobs`): `"error"` (default) or `"drop"`.
   */
  unsupportedParameters?: "error" | "drop";
}

const NO_EQUIVALENT = [
  "stop",
  "seed",
  "logit_bias",
  "logprobs",
  "top_logprobs",
  "presence_penalty",
  "frequency_penalty",
  "prediction",
  "web_search_options",
] as const;

/**
 * Converts a Chat Completions request to a Responses request, for upstream models that only
 * answer on `/v1/responses`. Messages become input items in order (`system`/`developer`/
 * `user` messages, assistant text as an `output_text` message, each tool call a
 * `function_call` item, each `tool` message a `function_call_output`, paired by id);
 * function tools are flattened; `response_format` becomes `text.format`,
 * `reasoning_effort` `reasoning.effort`, `max_completion_tokens`/`max_tokens`
 * `max_output_tokens`. The request is sent with `store: false` (switchyard keeps no state).
 *
 * @example
 * const responses = convertOpenAIRequestToResponses({
 *   model: "gpt-5-codex",
 *   messages: [{ role: "user", content: "Hi" }],
 * });
 * // { model: "gpt-5-codex", input: [{ type: "message", role: "user", content: "Hi" }], store: false }
 */
export function convertOpenAIRequestToResponses(
  request: OpenAIChatRequest,
  options: ConvertOpenAIRequestToResponsesOptions = {},
): ResponsesRequest {
  try {
    return convertUnchecked(request, options);
  } catch (error) {
    throw asTranslationError(error, "request");
  }
}

function convertUnchecked(
  request: OpenAIChatRequest,
  { unsupportedParameters = "error" }: ConvertOpenAIRequestToResponsesOptions,
): ResponsesRequest {
  if (!Array.isArray(request?.messages))
    unsupported("messages", "messages must be an array", "invalid_request");
  if (typeof request.n === "number" && request.n > 1)
    unsupported("n", "The Responses API returns one answer; n > 1 is not supported");
  if (request.modalities?.includes("audio") || request.audio)
    unsupported("modalities", "Audio output cannot be requested through the Responses API");
  if (unsupportedParameters === "error") {
    for (const key of NO_EQUIVALENT) {
      const value = request[key];
      if (value !== undefined && value !== null && value !== false && value !== 0)
        unsupported(
          key,
          `The Responses API has no equivalent of "${key}"; remove it or use unsupportedParameters: "drop"`,
        );
    }
  }
  const input: ResponsesInputItem[] = [];
  request.messages.forEach((message, i) => {
    convertMessage(message, `messages[${i}]`, input);
  });
  const out: ResponsesRequest = { model: request.model, input, store: false };
  const tools: ResponsesTool[] = [];
  for (const tool of request.tools ?? []) {
    if (tool.type !== "function" || !tool.function)
      unsupported("tools", `Tool type "${String(tool.type)}" cannot be sent to the Responses API`);
    const fn = tool.function;
    tools.push({
      type: "function",
      name: fn.name,
      parameters: fn.parameters ?? { type: "object", properties: {} },
      strict: fn.strict ?? false,
      ...(fn.description === undefined ? {} : { description: fn.description }),
    });
  }
  if (tools.length > 0) {
    out.tools = tools;
    const choice = request.tool_choice;
    if (choice !== undefined) out.tool_choice = convertToolChoice(choice);
    if (typeof request.parallel_tool_calls === "boolean")
      out.parallel_tool_calls = request.parallel_tool_calls;
  }
  const max = request.max_completion_tokens ?? request.max_tokens;
  if (typeof max === "number") out.max_output_tokens = max;
  if (typeof request.temperature === "number") out.temperature = request.temperature;
  if (typeof request.top_p === "number") out.top_p = request.top_p;
  if (isRecord(request.metadata)) out.metadata = request.metadata;
  if (typeof request.user === "string") out.user = request.user;
  if (typeof request.safety_identifier === "string")
    out.safety_identifier = request.safety_identifier;
  if (typeof request.prompt_cache_key === "string") out.prompt_cache_key = request.prompt_cache_key;
  if (typeof request.service_tier === "string") out.service_tier = request.service_tier;
  if (typeof request.reasoning_effort === "string")
    out.reasoning = { effort: request.reasoning_effort };
  const format = request.response_format;
  if (format?.type === "json_schema") {
    const { name, schema, description, strict } = format.json_schema;
    out.text = {
      format: {
        type: "json_schema",
        name,
        schema: schema ?? {},
        ...(description === undefined ? {} : { description }),
        ...(strict === undefined || strict === null ? {} : { strict }),
      },
    };
  } else if (format?.type === "json_object") {
    out.text = { format: { type: "json_object" } };
  }
  if (typeof request.verbosity === "string")
    out.text = { ...out.text, verbosity: request.verbosity };
  if (request.stream === true) out.stream = true;
  return out;
}

function convertToolChoice(
  choice: NonNullable<OpenAIChatRequest["tool_choice"]>,
): ResponsesToolChoice {
  if (typeof choice === "string") return choice;
  if (choice.type === "function" && typeof choice.function?.name === "string")
    return { type: "function", name: choice.function.name };
  return unsupported(
    "tool_choice",
    "Only auto, none, required or a named function tool_choice is supported",
  );
}

function convertMessage(message: OpenAIMessage, at: string, input: ResponsesInputItem[]): void {
  if (!isRecord(message)) unsupported(at, "Each message must be an object", "invalid_request");
  switch (message.role) {
    case "system":
    case "developer":
    case "user":
      input.push({
        type: "message",
        role: message.role,
        content:
          typeof message.content === "string"
            ? message.content
            : (message.content as OpenAIContentPart[]).map((part, j) =>
                convertPart(part, `${at}.content[${j}]`),
              ),
      });
      return;
    case "assistant": {
      const { content } = message;
      const text =
        typeof content === "string"
          ? content
          : Array.isArray(content)
            ? content.map((p) => (p.type === "refusal" ? "" : p.text)).join("")
            : "";
      if (text !== "" || message.refusal) {
        const parts: ResponsesInputContent[] = [];
        if (text !== "") parts.push({ type: "output_text", text, annotations: [] });
        if (message.refusal) parts.push({ type: "refusal", refusal: message.refusal });
        input.push({ type: "message", role: "assistant", content: parts });
      }
      for (const call of message.tool_calls ?? []) {
        input.push({
          type: "function_call",
          call_id: call.id,
          name: call.function.name,
          arguments: call.function.arguments ?? "",
        });
      }
      return;
    }
    case "tool":
      input.push({
        type: "function_call_output",
        call_id: message.tool_call_id,
        output:
          typeof message.content === "string"
            ? message.content
            : (message.content as OpenAITextContentPart[]).map(
                (part, j) =>
                  convertPart(part, `${at}.content[${j}]`) as { type: "input_text"; text: string },
              ),
      });
      return;
    default:
      unsupported(
        `${at}.role`,
        `Message role "${String(message.role)}" cannot be sent to the Responses API`,
      );
  }
}

function convertPart(part: OpenAIContentPart, at: string): ResponsesInputContent {
  switch (part?.type) {
    case "text":
      return { type: "input_text", text: part.text };
    case "image_url":
      return {
        type: "input_image",
        image_url: part.image_url?.url ?? "",
        detail: part.image_url?.detail ?? "auto",
      };
    case "file": {
      const { file_data, file_id, filename } = part.file ?? {};
      return {
        type: "input_file",
        ...(file_data === undefined ? {} : { file_data }),
        ...(file_id === undefined ? {} : { file_id }),
        ...(filename === undefined ? {} : { filename }),
      };
    }
    default:
      return unsupported(
        at,
        `Content part type "${String((part as { type?: unknown })?.type)}" cannot be sent to the Responses API`,
        "unsupported_content",
      );
  }
}
