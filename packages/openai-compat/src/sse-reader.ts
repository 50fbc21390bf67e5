import {
  createSseDecoder,
  type SseDecoder,
  type SseDecoderOptions,
  type SseMessage,
} from "./sse.js";

/** What an {@link SseReader} hands the events it reads to: usually a stream translation. */
export interface SseEventSink {
  /** The output for one parsed event (`event` undefined when the server sent no `event:` line). */
  push(data: string, event: string | undefined): string;
  /**
   * Optional fast path: the output for one whole event given as its raw text,
   * `text.slice(start, end)`. The reader only offers text whose lines all end in LF (no CR
   * anywhere) and which ends with the event's blank line (`\n\n`, the first in it), at a point
   * where nothing of an earlier event is pending. Returns exactly what `push` would for the
   * parsed event, or undefined to have it parsed and pushed.
   */
  raw?(text: string, start: number, end: number): string | undefined;
  /**
   * Optional fast path after `raw` took the event `text.slice(start, end)`: the outputs for
   * the events from `end` on that `raw` would take the same way, pushed to `out` (each
   * exactly what `raw` would return, in order, or joined), for as many whole events as it
   * recognises at once, none of which may end the sink (`done` stays false); returns the
   * index after the last of them (`end` when none). A run
   * of text deltas is translated with a few native string operations instead of a call,
   * a comparison and a concatenation per event.
   */
  rawRun?(text: string, start: number, end: number, out: string[]): number;
  /** Once true, the reader hands over nothing more and drops the rest of the input unread. */
  readonly done: boolean;
}

/** An incremental SSE reader: text chunks in, the sink's output for the events they complete out. */
export interface SseReader {
  /** Feeds one chunk of the stream's text (split anywhere); returns the output it completed. */
  push(text: string): string;
  /** Ends the input: what is left, with {@link SseDecoder.end}'s leniency for a last event. */
  end(): string;
}

const LF = 10;
const SPACE = 32;

// What `simpleEvent` read. Module state, not a result object: the reader is synchronous.
let simpleName: string | undefined;
let simpleData = "";

/** After a field name and its colon at `i`: where the value starts (one space skipped). */
const valueAt = (text: string, i: number) => (text.charCodeAt(i) === SPACE ? i + 1 : i);

/**
 * Reads the event `text.slice(start, end)` (LF line ends, its first blank line at its end)
 * when it is `data:…` alone or `event:…` then `data:…`, the two forms servers send, into
 * `simpleName` and `simpleData` exactly as the parser would give them (one space after the
 * colon dropped, an empty name read as none). Any other line (`id:`, a comment, a second
 * `data:`) leaves the event to the parser.
 */
function simpleEvent(text: string, start: number, end: number): boolean {
  let line = start;
  simpleName = undefined;
  if (text.startsWith("event:", start)) {
    const lf = text.indexOf("\n", start);
    simpleName = text.slice(valueAt(text, start + 6), lf) || undefined;
    line = lf + 1;
  }
  // One data line: its LF is the blank line's first.
  if (!text.startsWith("data:", line) || text.indexOf("\n", line) !== end - 2) return false;
  simpleData = text.slice(valueAt(text, line + 5), end - 2);
  return true;
}
/** A partial event longer than this goes to the parser rather than waiting for its end here. */
const HOLD_LIMIT = 64 * 1024;

/**
 * Creates a reader that frames SSE on the common form, LF line ends, without parsing: each
 * whole event is offered to `sink.raw` as a range of the chunk's text (no per-event string
 * splitting, no message object), and only what `raw` declines (or any text with a CR in it,
 * or a partial event past 64 KiB) goes through {@link createSseDecoder} and `sink.push`. The
 * output is the same as parsing every event: the fast path is only taken where the parser is
 * between events, where skipping an event changes nothing in it.
 *
 * @example
 * const reader = createSseReader({ push: (data) => translate(data), done: false });
 * for await (const chunk of body) res.write(reader.push(utf8.write(chunk)));
 * res.end(reader.end());
 */
export function createSseReader(sink: SseEventSink, options: SseDecoderOptions = {}): SseReader {
  /** Made at the first event that needs it: most streams frame every event simply. */
  let decoder: SseDecoder | undefined;
  const holdLimit = Math.min(HOLD_LIMIT, options.maxBufferSize ?? HOLD_LIMIT);
  /** The start of an event (no blank line in it yet) held back while the parser is clean. */
  let pending = "";
  /** The parser holds part of an event: the text it was fed does not end in a blank line. */
  let dirty = false;
  /** The text fed to the parser ends in LF (at the start, as if after a blank line). */
  let fedLf = true;
  /** Some of the stream's text was read (by the parser or around it). */
  let fed = false;

  function parser(): SseDecoder {
    if (decoder === undefined) {
      decoder = createSseDecoder(options);
      // The parser strips a byte order mark from the first text it is fed, which must be the
      // stream's start: after events read around it, a blank line comes first.
      if (fed) decoder.push("\n");
    }
    return decoder;
  }

  function parse(text: string): string {
    if (text.length === 0) return "";
    const d = parser();
    fed = true;
    const last = text.charCodeAt(text.length - 1) === LF;
    const before = text.length > 1 ? text.charCodeAt(text.length - 2) === LF : fedLf;
    dirty = !(last && before);
    fedLf = last;
    return deliver(d.push(text));
  }

  /** The sink's output for parsed events, until it is done. */
  function deliver(messages: SseMessage[]): string {
    let out = "";
    for (let i = 0; i < messages.length && !sink.done; i++) {
      const message = messages[i] as (typeof messages)[number];
      out += sink.push(message.data, message.event);
    }
    return out;
  }

  function push(chunk: string): string {
    if (sink.done || chunk.length === 0) return "";
    const text = pending.length === 0 ? chunk : pending + chunk;
    pending = "";
    const raw = sink.raw;
    const run = sink.rawRun;
    // A CR may end a line (alone or before an LF): such text is framed by the parser only.
    // So is a first chunk that may start with a byte order mark read as Latin-1 (`ï»¿`): the
    // parser strips one only when its first chunk holds all of it, so it must see that chunk.
    if (raw === undefined || chunk.indexOf("\r") !== -1 || (!fed && text.charCodeAt(0) === 0xef)) {
      return parse(text);
    }
    // The outputs are joined once at the end: `+=` per event would make a rope of hundreds of
    // small strings, which the write then flattens (measured ~1.5× the cost of one join).
    const out: string[] = [];
    let i = 0;
    if (dirty) {
      // The parser holds the start of an event: it gets everything up to that event's end.
      if (fedLf && text.charCodeAt(0) === LF) i = 1;
      else {
        const blank = text.indexOf("\n\n");
        if (blank < 0) return parse(text);
        i = blank + 2;
      }
      out.push(parse(text.slice(0, i)));
    }
    const n = text.length;
    while (i < n && !sink.done) {
      const blank = text.indexOf("\n\n", i);
      if (blank < 0) {
        const rest = i === 0 ? text : text.slice(i);
        if (rest.length > holdLimit) out.push(parse(rest));
        else pending = rest;
        break;
      }
      const end = blank + 2;
      const quick = raw.call(sink, text, i, end);
      if (quick !== undefined) {
        out.push(quick);
        if (run !== undefined && end < n && !sink.done) {
          fed = true;
          i = run.call(sink, text, i, end, out);
          continue;
        }
      } else if (simpleEvent(text, i, end)) out.push(sink.push(simpleData, simpleName));
      else out.push(parse(text.slice(i, end)));
      fed = true;
      i = end;
    }
    return out.length === 1 ? (out[0] as string) : out.join("");
  }

  return {
    push,
    end() {
      if (sink.done) return "";
      const rest = pending;
      pending = "";
      const out = parse(rest);
      // No parser yet: nothing of an event is pending.
      return decoder === undefined ? out : out + deliver(decoder.end());
    },
  };
}
