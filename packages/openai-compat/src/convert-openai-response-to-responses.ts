import { TranslationError } from "./errors.js";
import { asTranslationError } from "./internal/malformed.js";
import {
  convertOpenAIUsageToResponses,
  createResponseShell,
  responsesId,
} from "./internal/response-shell.js";
import { toolCallItem, toolOrigins } from "./internal/responses-tool-names.js";
import type { OpenAIChatCompletion, OpenAIFinishReason } from "./types/openai.js";
import type {
  ResponsesOutputItem,
  ResponsesOutputMessage,
  ResponsesRequest,
  ResponsesResponse,
} from "./types/responses.js";

/** Options of {@link convertOpenAIResponseToResponses}. */
export interface ConvertToResponsesOptions {
  /** The request answered: its instructions, tools and sampling are echoed in the response. */
  request?: ResponsesRequest;
  /** Response `id`; default a new `resp_…`. */
  id?: string;
  /** Model name to report instead of the upstream's. */
  model?: string;
  /** Clock in milliseconds for `created_at`. Default `Date.now`. */
  now?: () => number;
  /** Makes item ids (`msg_…`, `fc_…`, `rs_…`). */
  generateId?: (prefix: string) => string;
}

/**
 * The status and `incomplete_details` a finish reason stands for: `length` is
 * `incomplete` / `max_output_tokens`, `content_filter` is `incomplete` / `content_filter`,
 * anything else `completed`.
 */
export function responsesStatusFor(
  finishReason: OpenAIFinishReason | string | null | undefined,
): Pick<ResponsesResponse, "status" | "incomplete_details"> {
  if (finishReason === "length")
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finishReason === "content_filter")
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

/**
 * Converts a Chat Completions response to a Responses `Response`: reasoning text (as
 * `reasoning_content`/`reasoning`) becomes a `reasoning` item with one summary part, the
 * text (or refusal) a `message`, each tool call a `function_call` whose `call_id` is the
 * tool call id (a `custom_tool_call` for a custom tool, with its `namespace` for a
 * namespaced one). A `length` finish makes the response `incomplete`.
 *
 * @example
 * const response = convertOpenAIResponseToResponses(completion, { request });
 * response.output_text; // "Hello!"
 */
export function convertOpenAIResponseToResponses(
  completion: OpenAIChatCompletion,
  options: ConvertToResponsesOptions = {},
): ResponsesResponse {
  try {
    return convertUnchecked(completion, options);
  } catch (error) {
    throw asTranslationError(error, "response");
  }
}

function convertUnchecked(
  completion: OpenAIChatCompletion,
  options: ConvertToResponsesOptions,
): ResponsesResponse {
  const { now = Date.now, generateId = responsesId } = options;
  const choice = completion?.choices?.find((c) => (c.index ?? 0) === 0);
  if (!choice?.message) {
    throw new TranslationError({
      code: "invalid_response",
      message: "Upstream chat completion has no choice",
    });
  }
  const message = choice.message;
  const status = responsesStatusFor(choice.finish_reason);
  const itemStatus = status.status === "completed" ? "completed" : "incomplete";
  const output: ResponsesOutputItem[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === "string" && reasoning !== "") {
    output.push({
      type: "reasoning",
      id: generateId("rs_"),
      summary: [{ type: "summary_text", text: reasoning }],
    });
  }
  const text = typeof message.content === "string" ? message.content : "";
  if (text !== "" || message.refusal) {
    const item: ResponsesOutputMessage = {
      type: "message",
      id: generateId("msg_"),
      role: "assistant",
      status: itemStatus,
      content: [],
    };
    if (text !== "")
      item.content.push({ type: "output_text", text, annotations: [], logprobs: [] });
    if (message.refusal) item.content.push({ type: "refusal", refusal: message.refusal });
    output.push(item);
  }
  const origins = toolOrigins(options.request);
  for (const call of message.tool_calls ?? []) {
    const name = call.function.name;
    output.push(
      toolCallItem({
        id: generateId(origins?.get(name)?.custom === true ? "ctc_" : "fc_"),
        callId: call.id,
        upstreamName: name,
        args: call.function.arguments ?? "",
        status: "completed",
        origins,
      }),
    );
  }
  const response = createResponseShell({
    id: options.id ?? generateId("resp_"),
    model: options.model ?? completion.model,
    createdAt: completion.created ?? Math.floor(now() / 1000),
    request: options.request,
  });
  response.status = status.status;
  response.incomplete_details = status.incomplete_details;
  response.output = output;
  response.output_text = text;
  if (completion.usage) response.usage = convertOpenAIUsageToResponses(completion.usage);
  return response;
}
