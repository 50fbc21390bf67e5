import { createParser } from "eventsource-parser";
import { TranslationError } from "./errors.js";

/** One parsed Server-Sent Event. `event` and `id` are absent when the server sent none. */
export interface SseMessage {
  event?: string;
  data: string;
  id?: string;
}

/** Options of {@link createSseDecoder}. */
export interface SseDecoderOptions {
  /**
   * Largest incomplete event (in characters) to buffer; past it `push` throws a
   * `TranslationError` with code `invalid_response`. Default 16 MiB.
   */
  maxBufferSize?: number;
}

/** An incremental SSE decoder: push network chunks in, get complete events out. */
export interface SseDecoder {
  /** Feeds one chunk (bytes or text, split anywhere) and returns the events it completed. */
  push(chunk: string | Uint8Array): SseMessage[];
  /**
   * Ends the input and returns what the last chunk completed. A final event whose lines
   * all ended with a newline but which lacks the closing blank line is still dispatched;
   * a half-received line is discarded, as the SSE spec says.
   */
  end(): SseMessage[];
}

const LF = 10;
const CR = 13;

/**
 * Creates an incremental SSE decoder on top of `eventsource-parser`. Bytes are decoded as
 * UTF-8 with a streaming `TextDecoder`, so a code point split across chunks is kept whole.
 *
 * @example
 * const decoder = createSseDecoder();
 * for await (const chunk of response.body) {
 *   for (const message of decoder.push(chunk)) console.log(message.event, message.data);
 * }
 * decoder.end();
 */
export function createSseDecoder(options: SseDecoderOptions = {}): SseDecoder {
  const { maxBufferSize = 16 * 1024 * 1024 } = options;
  let out: SseMessage[] = [];
  let overflow: TranslationError | undefined;
  // Whether the text fed so far ends with a line terminator, for the lenient `end()`.
  let endsWithNewline = true;
  let sawInput = false;
  const textDecoder = new TextDecoder("utf-8");
  const parser = createParser({
    maxBufferSize,
    onEvent(message) {
      const item: SseMessage = { data: message.data };
      if (message.event !== undefined) item.event = message.event;
      if (message.id !== undefined) item.id = message.id;
      out.push(item);
    },
    onError(error) {
      if (error.type === "max-buffer-size-exceeded") {
        overflow = new TranslationError({
          code: "invalid_response",
          message: error.message,
          cause: error,
        });
      }
      // Unknown fields and bad `retry` values are ignored, as browsers do.
    },
  });

  function feed(text: string): void {
    if (text.length === 0) return;
    sawInput = true;
    const last = text.charCodeAt(text.length - 1);
    endsWithNewline = last === LF || last === CR;
    parser.feed(text);
    if (overflow) throw overflow;
  }

  function take(): SseMessage[] {
    const result = out;
    out = [];
    return result;
  }

  return {
    push(chunk) {
      feed(typeof chunk === "string" ? chunk : textDecoder.decode(chunk, { stream: true }));
      return take();
    },
    end() {
      feed(textDecoder.decode());
      // Complete lines without the closing blank line: dispatch them rather than lose the
      // last event (some servers omit the final blank line after `data: [DONE]`).
      if (sawInput && endsWithNewline) parser.feed("\n");
      parser.reset();
      return take();
    },
  };
}

/** An event to write as SSE. `data` is written as-is when a string, else as JSON. */
export interface SseEventInit {
  event?: string;
  data: unknown;
}

/**
 * Serialises one SSE event: `event: <name>\n` (when given) then `data: <payload>\n\n`.
 * A string payload containing newlines becomes several `data:` lines, as the spec requires.
 *
 * @example
 * serializeSseEvent({ event: "message_stop", data: { type: "message_stop" } });
 * // 'event: message_stop\ndata: {"type":"message_stop"}\n\n'
 */
export function serializeSseEvent(init: SseEventInit): string {
  const payload = typeof init.data === "string" ? init.data : JSON.stringify(init.data);
  const data =
    payload.indexOf("\n") === -1 && payload.indexOf("\r") === -1
      ? payload
      : payload.split(/\r\n|\r|\n/).join("\ndata: ");
  return init.event === undefined ? `data: ${data}\n\n` : `event: ${init.event}\ndata: ${data}\n\n`;
}
