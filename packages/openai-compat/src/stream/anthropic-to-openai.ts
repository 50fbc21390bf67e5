import { convertAnthropicStopReasonToOpenAI } from "../stop-reason.js";
import type { AnthropicStreamEvent, AnthropicUsage } from "../types/anthropic.js";
import type {
  OpenAIChatCompletionChunk,
  OpenAIChunkDelta,
  OpenAIErrorBody,
  OpenAIFinishReason,
} from "../types/openai.js";
import { convertAnthropicUsageToOpenAI } from "../usage.js";
import { DeltaFrame } from "./delta-frame.js";
import {
  createTextDeltaEventScanner,
  textDeltaLiteral,
  textDeltaLiterals,
} from "./json-literal.js";
import { openAIChunkPrefix } from "./serialize.js";
import {
  OPENAI_STREAM_DONE,
  type OpenAIStreamDone,
  STREAM_ENDED_EARLY_ERROR,
  toOpenAIStreamError,
} from "./stream-errors.js";

/** What an OpenAI stream carries: a chunk, an in-stream error object, or the `[DONE]` marker. */
export type OpenAIStreamItem = OpenAIChatCompletionChunk | OpenAIErrorBody | OpenAIStreamDone;

/** Options of {@link createAnthropicToOpenAIStreamTranslator}. */
export interface AnthropicToOpenAIStreamOptions {
  /** Model name to report instead of the upstream's. */
  model?: string;
  /** Chunk `id` to report instead of the upstream message id. */
  id?: string;
  /** `created` (Unix seconds) to report; default `now()` at the first event. */
  created?: number;
  /** Clock in milliseconds; default `Date.now`. */
  now?: () => number;
  /** Emit the final usage chunk (`choices: []`), as `stream_options.include_usage` asks. */
  includeUsage?: boolean;
}

/** A stateful Anthropic → OpenAI stream translator: one event in, chunks out. */
export interface AnthropicToOpenAIStreamTranslator {
  /** Translates one parsed Anthropic stream event into the OpenAI items to emit, in order. */
  push(event: AnthropicStreamEvent): OpenAIStreamItem[];
  /** Call at end of input: completes the stream, or reports an error if it ended early. */
  finish(): OpenAIStreamItem[];
  /** Ends the stream with an OpenAI in-stream error object for `err` (generic if unknown). */
  error(err: unknown): OpenAIStreamItem[];
  /** True once `[DONE]` or an error has been emitted; later input is ignored. */
  readonly done: boolean;
  /**
   * Fast path for an event's raw SSE `data`: when it is a text delta in the form Anthropic
   * sends (see `textDeltaLiteral`), the SSE that `push` + `serializeOpenAIStreamItem` would
   * give for it (same JSON, the text's literal copied as it came), without parsing the event.
   * Undefined for anything else, and before the stream started or after it ended: use `push`.
   */
  textDeltaSse(data: string): string | undefined;
  /**
   * {@link textDeltaSse} for a whole raw SSE event, `text.slice(start, end)`: the event must
   * be exactly `event: content_block_delta\ndata: <data>\n\n`, with `<data>` as above.
   * For an `SseReader`'s `raw`.
   */
  textDeltaEventSse(text: string, start: number, end: number): string | undefined;
  /**
   * After {@link textDeltaEventSse} took the event `text.slice(start, end)`: the SSE it would
   * give for each of the text-delta events in a row from `end` on, pushed to `out`; returns
   * the index after them (`end` when there are none). For an `SseReader`'s `rawRun`.
   */
  textDeltaRunSse(text: string, start: number, end: number, out: string[]): number;
}

/** What follows a text delta's literal in its chunk's SSE. */
const TEXT_TAIL = '},"finish_reason":null}]}\n\n';

/** `toolIndexByBlock` marker for blocks that are not tool calls. */
const NOT_A_TOOL = -1;

/**
 * Creates an Anthropic Messages → OpenAI Chat Completions stream translator. It emits the
 * role chunk first, text as `content`, thinking as `reasoning_content`, each `tool_use`
 * block as a `tool_calls` delta with its own 0-based `index`, the finish chunk, the usage
 * chunk when `includeUsage` is set, then `[DONE]`. An upstream `error` event becomes an
 * OpenAI error object and ends the stream; it never becomes a `finish_reason`.
 *
 * @example
 * const translator = createAnthropicToOpenAIStreamTranslator({ includeUsage: true });
 * for (const event of anthropicEvents) {
 *   for (const item of translator.push(event)) res.write(serializeOpenAIStreamItem(item));
 * }
 * for (const item of translator.finish()) res.write(serializeOpenAIStreamItem(item));
 */
export function createAnthropicToOpenAIStreamTranslator(
  options: AnthropicToOpenAIStreamOptions = {},
): AnthropicToOpenAIStreamTranslator {
  const { now = Date.now, includeUsage = false } = options;
  let id = options.id ?? "";
  let model = options.model ?? "";
  let created = options.created ?? 0;
  let started = false;
  let finishReason: OpenAIFinishReason | null = null;
  let finished = false;
  let nextToolIndex = 0;
  const toolIndexByBlock: number[] = [];
  /** Block indices of open tool calls that have sent no argument text yet. */
  const toolsWithoutArgs = new Set<number>();
  let usage: Partial<AnthropicUsage> = {};

  function chunk(delta: OpenAIChunkDelta, reason: OpenAIFinishReason | null = null) {
    const result: OpenAIChatCompletionChunk = {
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: reason }],
    };
    return result;
  }

  function start(out: OpenAIStreamItem[], messageId?: string, messageModel?: string): void {
    started = true;
    if (options.id === undefined && messageId !== undefined) id = messageId;
    if (options.model === undefined && messageModel !== undefined) model = messageModel;
    if (options.created === undefined) created = Math.floor(now() / 1000);
    out.push(chunk({ role: "assistant", content: "" }));
  }

  function complete(out: OpenAIStreamItem[]): OpenAIStreamItem[] {
    if (!finished) out.push(chunk({}, finishReason ?? "stop"));
    if (includeUsage) {
      out.push({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [],
        usage: convertAnthropicUsageToOpenAI(usage),
      });
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

  function mergeUsage(next: Partial<AnthropicUsage> | undefined): void {
    if (!next) return;
    // Cumulative totals; a field that is absent or null keeps the earlier value.
    for (const key in next) {
      const value = next[key];
      if (value !== null && value !== undefined) usage[key] = value;
    }
  }

  /**
   * A tool call with no parameters comes as `input: {}` and no argument text; the non-streamed
   * conversion gives it `"{}"`, so the stream sends that too: clients that `JSON.parse` the
   * arguments they accumulated would otherwise get `""`.
   */
  function closeToolWithoutArgs(out: OpenAIStreamItem[], block: number): void {
    if (!toolsWithoutArgs.delete(block)) return;
    const index = toolIndexByBlock[block] as number;
    out.push(chunk({ tool_calls: [{ index, function: { arguments: "{}" } }] }));
  }

  function textDeltaSse(data: string): string | undefined {
    if (self.done || !started) return undefined;
    const literal = textDeltaLiteral(data);
    if (literal === undefined) return undefined;
    return `data: ${openAIChunkPrefix(id, created, model)}{"index":0,"delta":{"content":${literal}},"finish_reason":null}]}\n\n`;
  }

  const eventLiteral = createTextDeltaEventScanner();
  /** Around this stream's text literals: `data: {…"choices":[{"index":0,"delta":{"content":` on (made once started). */
  let frame: DeltaFrame | undefined;

  function textDeltaEventSse(text: string, start: number, end: number): string | undefined {
    if (self.done || !started) return undefined;
    const literal = eventLiteral(text, start, end);
    if (literal === undefined) return undefined;
    frame ??= new DeltaFrame(
      `data: ${openAIChunkPrefix(id, created, model)}{"index":0,"delta":{"content":`,
      TEXT_TAIL,
    );
    return `${frame.head}${literal}${TEXT_TAIL}`;
  }

  function textDeltaRunSse(text: string, _start: number, end: number, out: string[]): number {
    // Only after textDeltaEventSse took an event: the stream is started and its frame made.
    if (self.done || frame === undefined) return end;
    const literals: string[] = [];
    const after = textDeltaLiterals(text, end, literals);
    frame.writeRow(literals, out);
    return after;
  }

  function push(event: AnthropicStreamEvent): OpenAIStreamItem[] {
    if (self.done) return [];
    const out: OpenAIStreamItem[] = [];
    switch (event.type) {
      case "message_start":
        if (!started) {
          usage = { ...event.message.usage };
          start(out, event.message.id, event.message.model);
        }
        return out;
      case "ping":
        return out;
      case "error":
        return fail(event);
    }
    if (!started) start(out);
    switch (event.type) {
      case "content_block_start": {
        const block = event.content_block;
        if (block.type === "tool_use") {
          const index = nextToolIndex++;
          toolIndexByBlock[event.index] = index;
          const input = block.input;
          const initial =
            input !== null && typeof input === "object" && Object.keys(input).length > 0
              ? JSON.stringify(input)
              : "";
          if (initial === "") toolsWithoutArgs.add(event.index);
          out.push(
            chunk({
              tool_calls: [
                {
                  index,
                  id: block.id,
                  type: "function",
                  function: { name: block.name, arguments: initial },
                },
              ],
            }),
          );
        } else {
          toolIndexByBlock[event.index] = NOT_A_TOOL;
          if (block.type === "text" && block.text) out.push(chunk({ content: block.text }));
          else if (block.type === "thinking" && block.thinking) {
            out.push(chunk({ reasoning_content: block.thinking }));
          }
        }
        return out;
      }
      case "content_block_delta": {
        const delta = event.delta;
        switch (delta.type) {
          case "text_delta":
            out.push(chunk({ content: delta.text }));
            break;
          case "thinking_delta":
            out.push(chunk({ reasoning_content: delta.thinking }));
            break;
          case "input_json_delta": {
            const index = toolIndexByBlock[event.index];
            if (index !== undefined && index !== NOT_A_TOOL && delta.partial_json) {
              toolsWithoutArgs.delete(event.index);
              out.push(
                chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] }),
              );
            }
            break;
          }
          // signature_delta and citations_delta have no Chat Completions counterpart.
        }
        return out;
      }
      case "content_block_stop":
        closeToolWithoutArgs(out, event.index);
        return out;
      case "message_delta":
        for (const block of toolsWithoutArgs) closeToolWithoutArgs(out, block);
        mergeUsage(event.usage);
        finishReason = convertAnthropicStopReasonToOpenAI(event.delta.stop_reason);
        if (!finished) {
          finished = true;
          out.push(chunk({}, finishReason ?? "stop"));
        }
        return out;
      case "message_stop":
        return complete(out);
      default:
        // Event types added upstream later carry nothing to emit.
        return out;
    }
  }

  // `done` is a plain data property, not a getter: an accessor in a per-instance literal gives
  // every translator its own hidden class, which V8 keeps in old space and which then pins
  // the request's young objects through a minor GC.
  const self: {
    -readonly [K in keyof AnthropicToOpenAIStreamTranslator]: AnthropicToOpenAIStreamTranslator[K];
  } = {
    push,
    textDeltaSse,
    textDeltaEventSse,
    textDeltaRunSse,
    finish() {
      if (self.done) return [];
      // The stop reason already arrived: the message is whole even if message_stop did not.
      if (finished) return complete([]);
      return fail(STREAM_ENDED_EARLY_ERROR);
    },
    error: fail,
    done: false,
  };
  return self;
}
