import {
  type AnthropicMessage,
  type AnthropicResponseContentBlock,
  type AnthropicStreamEvent,
  type AnthropicUsage,
  convertAnthropicResponseToOpenAI,
  convertAnthropicResponseToResponses,
  createAnthropicToOpenAIStreamTranslator,
  createAnthropicToResponsesStreamTranslator,
  type ResponsesRequest,
  serializeAnthropicStreamEvent,
  serializeOpenAIStreamItem,
  serializeResponsesStreamEvent,
} from "@switchyard/openai-compat";
import { errorToResponse } from "../../server/error-response.js";
import type { Dialect, ResponseSink, UsageSummary } from "../types.js";

/** Options for {@link createResponseWriter}. */
export interface ResponseWriterOptions {
  dialect: Dialect;
  stream: boolean;
  sink: ResponseSink;
  /** Model to report when the CLI produced no message of its own. */
  model: string;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage?: boolean;
  /** Set for `/v1/responses`: answer in the Responses protocol, echoing this request. */
  responses?: ResponsesRequest;
}

/** Anthropic events to the caller's SSE text (OpenAI Chat Completions or Responses). */
interface Encoder {
  push(event: AnthropicStreamEvent): string;
  finish(): string;
  error(body: unknown): string;
}

function join<T>(items: T[], one: (item: T) => string): string {
  let out = "";
  for (const item of items) out += one(item);
  return out;
}

function createEncoder(options: ResponseWriterOptions): Encoder | undefined {
  if (options.responses !== undefined) {
    const t = createAnthropicToResponsesStreamTranslator({
      request: options.responses,
      model: options.responses.model,
    });
    return {
      push: (e) => join(t.push(e), serializeResponsesStreamEvent),
      finish: () => join(t.finish(), serializeResponsesStreamEvent),
      error: (b) => join(t.error(b), serializeResponsesStreamEvent),
    };
  }
  if (options.dialect !== "openai") return undefined;
  const t = createAnthropicToOpenAIStreamTranslator({
    includeUsage: options.includeUsage === true,
  });
  return {
    push: (e) => join(t.push(e), serializeOpenAIStreamItem),
    finish: () => join(t.finish(), serializeOpenAIStreamItem),
    error: (b) => join(t.error(b), serializeOpenAIStreamItem),
  };
}

/**
 * Turns the Anthropic stream events the CLI relays into the caller's answer: Anthropic SSE
 * as they arrive, OpenAI SSE through openai-compat's translator, or (not streaming) one
 * JSON body built from the same events. Events after the first complete message are ignored.
 *
 * A message that stops without a stop reason was cut off (the CLI's connection to the API
 * dropped) and the CLI retries it: not streaming, the retried message replaces it; streaming,
 * part of it was already sent, so the writer stops and says so through {@link interrupted}.
 */
export interface ResponseWriter {
  /** Handles one event from a `stream_event` line. */
  push(event: AnthropicStreamEvent): Promise<void>;
  /** Completes the answer; `usage` (from the CLI's result) replaces the streamed counts. */
  finish(usage?: Partial<AnthropicUsage>): Promise<void>;
  /** Ends a started stream with an error event in the caller's dialect. */
  fail(error: unknown): Promise<void>;
  /** Synthesises a one-block message for a run that answered without streaming events. */
  pushText(text: string, id: string): Promise<void>;
  /** True once anything was sent. */
  readonly started: boolean;
  /** True once a complete message (through `message_stop`) was seen. */
  readonly complete: boolean;
  /**
   * True when a streamed message was cut off mid-answer (a `message_stop` with no stop
   * reason) and the CLI started it again: the client holds a partial answer that cannot be
   * continued, so the run must end with an error rather than a success.
   */
  readonly interrupted: boolean;
  /** The message as accumulated so far. */
  message(): AnthropicMessage | undefined;
  /** Usage as the request log wants it. */
  usage(): UsageSummary | undefined;
}

/** Creates a {@link ResponseWriter}. */
export function createResponseWriter(options: ResponseWriterOptions): ResponseWriter {
  const { dialect, stream, sink } = options;
  const translator = createEncoder(options);
  let message: AnthropicMessage | undefined;
  let complete = false;
  /** A message ended without a stop reason; the CLI's retry may follow. */
  let cutOff = false;
  let interrupted = false;
  const blocks: AnthropicResponseContentBlock[] = [];

  const accumulate = (event: AnthropicStreamEvent) => {
    switch (event.type) {
      case "message_start":
        message = { ...event.message, content: [] };
        break;
      case "content_block_start":
        blocks[event.index] = { ...event.content_block } as AnthropicResponseContentBlock;
        break;
      case "content_block_delta": {
        const block = blocks[event.index] as Record<string, unknown> | undefined;
        if (block === undefined) break;
        const d = event.delta as Record<string, unknown>;
        if (d.type === "text_delta") block.text = `${block.text ?? ""}${d.text}`;
        else if (d.type === "thinking_delta")
          block.thinking = `${block.thinking ?? ""}${d.thinking}`;
        else if (d.type === "signature_delta") block.signature = d.signature;
        else if (d.type === "input_json_delta")
          block.partial_json = `${block.partial_json ?? ""}${d.partial_json}`;
        break;
      }
      case "message_delta":
        if (message !== undefined) {
          message.stop_reason = event.delta.stop_reason ?? message.stop_reason;
          message.stop_sequence = event.delta.stop_sequence ?? message.stop_sequence;
          message.usage = { ...message.usage, ...event.usage } as AnthropicUsage;
        }
        break;
      case "message_stop":
        if (message?.stop_reason == null) cutOff = true;
        else complete = true;
        break;
    }
  };

  const write = async (event: AnthropicStreamEvent) => {
    if (!stream) return;
    if (!sink.started) sink.startStream(200);
    let out = "";
    if (translator === undefined) out = serializeAnthropicStreamEvent(event);
    else out = translator.push(event);
    if (out.length > 0) await sink.write(out);
  };

  const writer: ResponseWriter = {
    get started() {
      return sink.started;
    },
    get complete() {
      return complete;
    },
    get interrupted() {
      return interrupted;
    },
    async push(event) {
      if (complete || interrupted) return;
      if (cutOff && event.type === "message_start") {
        // The CLI's retry of a cut-off message. Nothing sent yet: start over with it.
        if (stream && sink.started) {
          interrupted = true;
          return;
        }
        cutOff = false;
        message = undefined;
        blocks.length = 0;
      }
      accumulate(event);
      // A cut-off message's `message_stop` is not passed on: a retry or an error follows.
      if (event.type === "message_stop" && cutOff) return;
      await write(event);
    },
    async pushText(text, id) {
      const usage = { input_tokens: 0, output_tokens: 0 };
      const start: AnthropicMessage = {
        id,
        type: "message",
        role: "assistant",
        model: options.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage,
      };
      const events: AnthropicStreamEvent[] = [
        { type: "message_start", message: start },
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
        { type: "content_block_stop", index: 0 },
        {
          type: "message_delta",
          delta: { stop_reason: "end_turn", stop_sequence: null },
          usage: { output_tokens: 0 },
        },
        { type: "message_stop" },
      ] as AnthropicStreamEvent[];
      for (const event of events) await writer.push(event);
    },
    async finish(usage) {
      if (message !== undefined && usage !== undefined) {
        message.usage = { ...message.usage, ...usage } as AnthropicUsage;
      }
      if (stream) {
        if (translator !== undefined) {
          const out = translator.finish();
          if (out.length > 0) await sink.write(out);
        }
        sink.end();
        return;
      }
      const body = writer.message();
      if (body === undefined) throw new Error("claude-code: no message to send");
      sink.json(
        200,
        dialect === "anthropic"
          ? body
          : options.responses !== undefined
            ? convertAnthropicResponseToResponses(body, {
                request: options.responses,
                model: options.responses.model,
              })
            : convertAnthropicResponseToOpenAI(body),
      );
    },
    async fail(error) {
      if (!sink.started || sink.closed) return;
      const body = errorToResponse(error, dialect).body as {
        error?: { type?: string; message?: string };
      };
      let out = "";
      if (translator === undefined) {
        const err = {
          type: body.error?.type ?? "api_error",
          message: body.error?.message ?? "error",
        };
        out = serializeAnthropicStreamEvent({ type: "error", error: err } as AnthropicStreamEvent);
      } else {
        out = translator.error(body);
      }
      await sink.write(out);
      sink.end();
    },
    message() {
      if (message === undefined) return undefined;
      const content = blocks
        .filter((b) => b !== undefined)
        .map((b) => {
          const { partial_json, ...rest } = b as Record<string, unknown>;
          return rest as AnthropicResponseContentBlock;
        });
      return { ...message, content };
    },
    usage() {
      const u = message?.usage;
      if (u === undefined) return undefined;
      const out: UsageSummary = { inputTokens: u.input_tokens, outputTokens: u.output_tokens };
      if (typeof u.cache_read_input_tokens === "number")
        out.cacheReadTokens = u.cache_read_input_tokens;
      if (typeof u.cache_creation_input_tokens === "number")
        out.cacheWriteTokens = u.cache_creation_input_tokens;
      return out;
    },
  };
  return writer;
}

/** The CLI's result usage has many extra fields; the answer carries the standard four. */
export function pickUsage(
  usage: Record<string, unknown> | undefined,
): Partial<AnthropicUsage> | undefined {
  if (usage === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const key of [
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
  ]) {
    const v = usage[key];
    if (typeof v === "number" && Number.isFinite(v)) out[key] = v;
  }
  return out as Partial<AnthropicUsage>;
}
