import type {
  ResponsesRequest,
  ResponsesResponse,
  ResponsesStreamEvent,
} from "../types/responses.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";

/*
 * The interfaces of the translators into Responses events (from Chat Completions chunks and
 * from Anthropic events): what the proxy and the package's users program against.
 */

/** Options of {@link createOpenAIToResponsesStreamTranslator}. */
export interface ToResponsesStreamOptions {
  /** The request answered: its instructions, tools and sampling are echoed in the response. */
  request?: ResponsesRequest;
  /** Response `id`; default a new `resp_…`. */
  id?: string;
  /** Model name to report instead of the upstream's. */
  model?: string;
  /** Clock in milliseconds for `created_at`. Default `Date.now`. */
  now?: () => number;
  /** Makes response and item ids from a prefix (`resp_`, `msg_`, `fc_`, `rs_`). */
  generateId?: (prefix: string) => string;
}

/** A stateful stream translator into Responses events: one input in, events out. */
export interface ToResponsesStreamTranslator<I> {
  /** Translates one parsed upstream item into the Responses events to emit, in order. */
  push(item: I): ResponsesStreamEvent[];
  /** End of input: completes the response if the upstream finished, else `response.failed`. */
  finish(): ResponsesStreamEvent[];
  /** Ends the stream with `response.failed` for `err` (generic if unknown). */
  error(err: unknown): ResponsesStreamEvent[];
  /** True once a terminal event has been emitted; later input is ignored. */
  readonly done: boolean;
  /** The response as built so far (the terminal event's `response` once done). */
  snapshot(): ResponsesResponse;
}

/** A Chat Completions → Responses translator, with a fast path for raw text-delta chunks. */
export interface OpenAIToResponsesStreamTranslator
  extends ToResponsesStreamTranslator<OpenAIStreamItem> {
  /**
   * Fast path for a chunk's raw SSE `data`: when it carries nothing but text (see
   * `openAITextDeltaLiteral`) after the first chunk, the SSE that `push` +
   * `serializeResponsesStreamEvent` would give for it (the message item opened first when
   * none is, as `push` would), the text's JSON literal copied as it came, without parsing the
   * chunk. Undefined for anything else: use `push`.
   */
  textDeltaSse(data: string): string | undefined;
  /**
   * {@link textDeltaSse} for a whole raw SSE event, `text.slice(start, end)` (`data: <chunk>\n\n`
   * exactly): the same output without splitting the event out of its chunk first. Undefined
   * for anything else.
   */
  textDeltaEventSse(text: string, start: number, end: number): string | undefined;
  /**
   * After {@link textDeltaEventSse} took the event `text.slice(start, end)`: the SSE it would
   * give for each of the text-only chunks in a row from `end` on that are shaped like that
   * one (the same bytes but for ids, model, `created` and padding), pushed to `out`; returns
   * the index after them (`end` when there are none). For an `SseReader`'s `rawRun`.
   */
  textDeltaRunSse(text: string, start: number, end: number, out: string[]): number;
  /**
   * Serialises one of this translator's events as SSE, byte for byte as a
   * `createResponsesStreamSerializer` of its own would: a message item's events from
   * templates filled as the translator built them, each closed text from the JSON literal it
   * came in (when `JSON.stringify` would write it the same) instead of escaping it again for
   * every closing event that repeats it. For the events as `push`, `finish` and `error`
   * returned them: an event changed since may be written as it was.
   */
  sse(event: ResponsesStreamEvent): string;
}
