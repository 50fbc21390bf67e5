import type { SseEventTiming } from "./har.js";

/** One piece of a streamed response body and when it arrived. */
export interface TimedChunk {
  /** Milliseconds from the response head. */
  offsetMs: number;
  text: string;
}

/** A recorded SSE event: its raw text (blank line included) and arrival offset. */
export interface TimedSseEvent {
  offsetMs: number;
  text: string;
}

const boundary = /\r\n\r\n|\n\n|\r\r/g;

/**
 * Joins the chunks of a streamed body and marks where each SSE event ends: an event arrives
 * with the chunk that carries its closing blank line. Text after the last blank line (a
 * stream cut short) becomes a final event so nothing recorded is lost.
 *
 * @example
 * timeSseEvents([{ offsetMs: 0, text: "data: a\n\nda" }, { offsetMs: 5, text: "ta: b\n\n" }]);
 * // { text: "data: a\n\ndata: b\n\n", events: [{ offsetMs: 0, end: 9 }, { offsetMs: 5, end: 18 }] }
 */
export function timeSseEvents(chunks: readonly TimedChunk[]): {
  text: string;
  events: SseEventTiming[];
} {
  let text = "";
  const events: SseEventTiming[] = [];
  let searchFrom = 0;
  for (const chunk of chunks) {
    text += chunk.text;
    // A boundary may straddle two chunks: look back three characters.
    boundary.lastIndex = Math.max(0, searchFrom - 3);
    for (let m = boundary.exec(text); m !== null; m = boundary.exec(text)) {
      const end = m.index + m[0].length;
      const last = events.at(-1)?.end ?? 0;
      if (end > last) events.push({ offsetMs: round(chunk.offsetMs), end });
    }
    searchFrom = text.length;
  }
  const last = events.at(-1)?.end ?? 0;
  if (text.length > last) {
    events.push({ offsetMs: round(chunks.at(-1)?.offsetMs ?? 0), end: text.length });
  }
  return { text, events };
}

/**
 * Splits a recorded stream back into its events with their offsets (for replay). Without
 * timings the whole text is one event at offset 0.
 */
export function splitSseEvents(
  text: string,
  events: readonly SseEventTiming[] | undefined,
): TimedSseEvent[] {
  if (events === undefined || events.length === 0) return [{ offsetMs: 0, text }];
  const out: TimedSseEvent[] = [];
  let start = 0;
  for (const event of events) {
    const end = Math.min(Math.max(event.end, start), text.length);
    if (end > start) out.push({ offsetMs: event.offsetMs, text: text.slice(start, end) });
    start = end;
  }
  if (start < text.length) {
    out.push({ offsetMs: events.at(-1)?.offsetMs ?? 0, text: text.slice(start) });
  }
  return out;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
