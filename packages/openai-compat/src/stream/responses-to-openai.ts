import { convertResponsesUsageToOpenAI } from "../internal/response-shell.js";
import type {
  OpenAIChatCompletionChunk,
  OpenAIChunkDelta,
  OpenAIFinishReason,
  OpenAIUsage,
} from "../types/openai.js";
import type { ResponsesResponse, ResponsesStreamEvent } from "../types/responses.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";
import {
  OPENAI_STREAM_DONE,
  STREAM_ENDED_EARLY_ERROR,
  toOpenAIStreamError,
} from "./stream-errors.js";

/** Options of {@link createResponsesToOpenAIStreamTranslator}. */
export interface ResponsesToOpenAIStreamOptions {
  /** Model name to report instead of the upstream's. */
  model?: string;
  /** Emit the final usage chunk (`choices: []`), as `stream_options.include_usage` asks. */
  includeUsage?: boolean;
  /** Clock in milliseconds for `created` when the upstream gives none. Default `Date.now`. */
  now?: () => number;
}

/** A stateful Responses → Chat Completions stream translator: one event in, chunks out. */
export interface ResponsesToOpenAIStreamTranslator {
  /** Translates one parsed Responses event into the Chat Completions items to emit. */
  push(event: ResponsesStreamEvent): OpenAIStreamItem[];
  /** End of input: an error item unless a terminal event already arrived. */
  finish(): OpenAIStreamItem[];
  /** Ends the stream with an OpenAI in-stream error object for `err`. */
  error(err: unknown): OpenAIStreamItem[];
  /** True once `[DONE]` or an error has been emitted. */
  readonly done: boolean;
}

/** The Chat Completions finish reason for a terminal `Response`. */
export function finishReasonForResponse(
  response: Pick<ResponsesResponse, "status" | "incomplete_details" | "output">,
): OpenAIFinishReason {
  if (response.status === "incomplete") {
    return response.incomplete_details?.reason === "content_filter" ? "content_filter" : "length";
  }
  return response.output?.some((item) => item.type === "function_call") ? "tool_calls" : "stop";
}

/**
 * Creates a Responses → Chat Completions stream translator, for upstream models that only
 * answer on `/v1/responses`. Text deltas become `content`, reasoning summary (or reasoning
 * text) deltas `reasoning_content`, each `function_call` item a `tool_calls` entry with its
 * own `index` (`id` = `call_id`), the terminal event the finish chunk (`length` for
 * `response.incomplete`), the usage chunk when `includeUsage` is set, then `[DONE]`.
 * `response.failed` and `error` become an in-stream error object.
 *
 * @example
 * const translator = createResponsesToOpenAIStreamTranslator({ includeUsage: true });
 * for (const event of events) {
 *   for (const item of translator.push(event)) res.write(serializeOpenAIStreamItem(item));
 * }
 */
export function createResponsesToOpenAIStreamTranslator(
  options: ResponsesToOpenAIStreamOptions = {},
): ResponsesToOpenAIStreamTranslator {
  const { includeUsage = false, now = Date.now } = options;
  let id = "";
  let model = options.model ?? "";
  let created = 0;
  let started = false;
  /** Tool call index by output item id, and the arguments each has streamed. */
  const calls = new Map<string, { index: number; args: string }>();
  let sawFunctionCall = false;

  const chunk = (
    delta: OpenAIChunkDelta,
    reason: OpenAIFinishReason | null = null,
  ): OpenAIChatCompletionChunk => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: reason }],
  });

  function start(out: OpenAIStreamItem[], response?: ResponsesResponse): void {
    started = true;
    id = response?.id ?? id;
    if (options.model === undefined && response?.model) model = response.model;
    created = response?.created_at ?? Math.floor(now() / 1000);
    out.push(chunk({ role: "assistant", content: "" }));
  }

  function complete(response: ResponsesResponse): OpenAIStreamItem[] {
    const out: OpenAIStreamItem[] = [];
    if (!started) start(out, response);
    const reason = finishReasonForResponse(response);
    out.push(chunk({}, reason === "stop" && sawFunctionCall ? "tool_calls" : reason));
    if (includeUsage) {
      const usage: OpenAIUsage = convertResponsesUsageToOpenAI(response.usage ?? {});
      out.push({ id, object: "chat.completion.chunk", created, model, choices: [], usage });
    }
    out.push(OPENAI_STREAM_DONE);
    self.done = true;
    return out;
  }

  function fail(err: unknown): OpenAIStreamItem[] {
    if (self.done) return [];
    self.done = true;
    return [toOpenAIStreamError(err)];
  }

  function addCall(out: OpenAIStreamItem[], itemId: string, callId: string, name: string): void {
    sawFunctionCall = true;
    const index = calls.size;
    calls.set(itemId, { index, args: "" });
    out.push(
      chunk({
        tool_calls: [{ index, id: callId, type: "function", function: { name, arguments: "" } }],
      }),
    );
  }

  function args(out: OpenAIStreamItem[], itemId: string, text: string): void {
    const call = calls.get(itemId);
    if (call === undefined || text === "") return;
    call.args += text;
    out.push(chunk({ tool_calls: [{ index: call.index, function: { arguments: text } }] }));
  }

  function push(event: ResponsesStreamEvent): OpenAIStreamItem[] {
    if (self.done) return [];
    const out: OpenAIStreamItem[] = [];
    switch (event.type) {
      case "response.created":
        if (!started) start(out, event.response);
        return out;
      case "response.completed":
      case "response.incomplete":
        return complete(event.response);
      case "response.failed":
        return fail({
          error: {
            message: event.response?.error?.message ?? "upstream response failed",
            type:
              event.response?.error?.code === "rate_limit_exceeded"
                ? "rate_limit_error"
                : "server_error",
            param: null,
            code: event.response?.error?.code ?? null,
          },
        });
      case "error":
        return fail({
          error: {
            message: event.message,
            type: "server_error",
            param: event.param ?? null,
            code: event.code ?? null,
          },
        });
    }
    if (!started) start(out);
    switch (event.type) {
      case "response.output_text.delta":
        if (event.delta) out.push(chunk({ content: event.delta }));
        break;
      case "response.reasoning_summary_text.delta":
        if (event.delta) out.push(chunk({ reasoning_content: event.delta }));
        break;
      case "response.output_item.added":
        if (event.item.type === "function_call") {
          addCall(out, event.item.id, event.item.call_id, event.item.name);
          args(out, event.item.id, event.item.arguments ?? "");
        }
        break;
      case "response.function_call_arguments.delta":
        args(out, event.item_id, event.delta);
        break;
      case "response.output_item.done": {
        // Servers that send the arguments only whole (no deltas): send what is missing.
        const item = event.item;
        const call = item.type === "function_call" ? calls.get(item.id) : undefined;
        if (call !== undefined && item.type === "function_call") {
          const whole = item.arguments ?? "";
          if (whole.startsWith(call.args)) args(out, item.id, whole.slice(call.args.length));
        }
        break;
      }
      default: {
        const other = event as { type: string; delta?: unknown };
        if (other.type === "response.refusal.delta" && typeof other.delta === "string")
          out.push(chunk({ refusal: other.delta }));
        else if (other.type === "response.reasoning_text.delta" && typeof other.delta === "string")
          out.push(chunk({ reasoning_content: other.delta }));
      }
    }
    return out;
  }

  const self: {
    -readonly [K in keyof ResponsesToOpenAIStreamTranslator]: ResponsesToOpenAIStreamTranslator[K];
  } = {
    push,
    finish() {
      if (self.done) return [];
      return fail(STREAM_ENDED_EARLY_ERROR);
    },
    error: fail,
    done: false,
  };
  return self;
}
