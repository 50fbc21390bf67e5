import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSseDecoder } from "./sse.js";
import { createSseReader, type SseEventSink } from "./sse-reader.js";

/** A sink that tags what it is given; `STOP` data ends it (unless `stops` is false). */
class Recorder implements SseEventSink {
  done = false;
  raws = 0;
  /** Events taken by `rawRun`. */
  runs = 0;
  readonly rawRun?: SseEventSink["rawRun"];
  constructor(
    private readonly fast: boolean,
    private readonly stops = true,
    runs = false,
  ) {
    if (runs) this.rawRun = this.#run;
  }

  push(data: string, event: string | undefined): string {
    if (data === "STOP" && this.stops) this.done = true;
    return `[${event ?? "-"}|${data}]`;
  }

  /** Takes `data: X\n\n` and `event: E\ndata: X\n\n` as the parser reads them; declines `slow`. */
  raw(text: string, start: number, end: number): string | undefined {
    if (!this.fast) return undefined;
    const m = /^(?:event: ([^\n]*)\n)?data: ([^\n]*)\n\n$/.exec(text.slice(start, end));
    if (m === null || m[2]?.includes("slow")) return undefined;
    this.raws++;
    return this.push(m[2] as string, m[1] || undefined);
  }

  /** Takes the `data: X\n\n` events in a row that raw takes, but no STOP (it ends the sink). */
  #run(text: string, _start: number, end: number, out: string[]): number {
    const row = /(?:data: ([^\n]*)\n\n)/y;
    row.lastIndex = end;
    let i = end;
    for (let m = row.exec(text); m !== null; m = row.exec(text)) {
      const data = m[1] as string;
      if (data.includes("slow") || data === "STOP") break;
      out.push(this.push(data, undefined));
      this.runs++;
      i = row.lastIndex;
    }
    return i;
  }
}

/** The reference: the plain decoder, every event pushed, per chunk; `!` where it threw. */
function reference(chunks: string[], maxBufferSize?: number): string[] {
  const decoder = createSseDecoder(maxBufferSize === undefined ? {} : { maxBufferSize });
  // After done the reader reads no further, so it cannot overflow there: no STOP with a limit.
  const sink = new Recorder(false, maxBufferSize === undefined);
  const out: string[] = [];
  const take = (messages: { data: string; event?: string }[]) => {
    let text = "";
    for (const m of messages) {
      if (sink.done) break;
      text += sink.push(m.data, m.event);
    }
    return text;
  };
  for (const chunk of chunks) {
    if (sink.done) {
      out.push("");
      continue;
    }
    try {
      out.push(take(decoder.push(chunk)));
    } catch {
      out.push("!");
      return out;
    }
  }
  out.push(sink.done ? "" : take(decoder.end()));
  return out;
}

function read(
  chunks: string[],
  maxBufferSize?: number,
  runs = false,
): { out: string[]; raws: number } {
  const sink = new Recorder(true, maxBufferSize === undefined, runs);
  const reader = createSseReader(sink, maxBufferSize === undefined ? {} : { maxBufferSize });
  const out: string[] = [];
  for (const chunk of chunks) {
    try {
      out.push(reader.push(chunk));
    } catch {
      out.push("!");
      return { out, raws: sink.raws };
    }
  }
  out.push(reader.end());
  return { out, raws: sink.raws };
}

function cut(text: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let last = 0;
  for (const p of [...at, text.length]) {
    parts.push(text.slice(last, p));
    last = p;
  }
  return parts;
}

const value = fc.oneof(
  fc.constantFrom("", "x", "slow", "STOP", " lead", "a:b", "ï»¿", "\uFEFF", "東京", "😀", "\u0000"),
  fc.string({ maxLength: 6 }),
);
const newline = fc.constantFrom("\n", "\n", "\n", "\n", "\r\n", "\r");
const line = fc.oneof(
  { weight: 6, arbitrary: value.map((v) => `data: ${v}`) },
  { weight: 3, arbitrary: value.map((v) => `event: ${v}`) },
  { weight: 1, arbitrary: value.map((v) => `data:${v}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ": ping",
      "id: 7",
      "retry: 10",
      "retry: x",
      "bogus: 1",
      "ï»¿data: b",
    ),
  },
  { weight: 2, arbitrary: fc.constant("") },
);
/** SSE text: lines of every kind, LF mostly, some CRLF and CR, a possible unterminated end. */
const sse = fc
  .tuple(fc.array(fc.tuple(line, newline), { maxLength: 30 }), fc.option(value))
  .map(([lines, tail]) => lines.map(([l, nl]) => l + nl).join("") + (tail ?? ""));
/** Mostly whole LF events, as real servers send, so the fast path gets exercised. */
const events = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: value.map((v) => `data: ${v}\n\n`) },
      {
        weight: 3,
        arbitrary: fc.tuple(value, value).map(([e, v]) => `event: ${e}\ndata: ${v}\n\n`),
      },
      { weight: 1, arbitrary: sse },
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

describe("createSseReader", () => {
  it("hands whole LF events to raw and the rest to push, in order", () => {
    const sink = new Recorder(true);
    const reader = createSseReader(sink);
    expect(reader.push("data: a\n\nevent: e\ndata: b\n\ndata: slow\n\n: c\ndata: d")).toBe(
      "[-|a][e|b][-|slow]",
    );
    expect(sink.raws).toBe(2);
    expect(reader.push("\n\ndata: e\r\n\r\n")).toBe("[-|d][-|e]");
    expect(reader.end()).toBe("");
  });

  it("hands the events after one raw took to rawRun, then reads on from where it stopped", () => {
    const sink = new Recorder(true, true, true);
    const reader = createSseReader(sink);
    expect(reader.push("data: a\n\ndata: b\n\ndata: c\n\nevent: e\ndata: d\n\ndata: f\n\nda")).toBe(
      "[-|a][-|b][-|c][e|d][-|f]",
    );
    expect([sink.raws, sink.runs]).toEqual([2, 3]);
    expect(reader.push("ta: g\n\ndata: STOP\n\ndata: h\n\n")).toBe("[-|g][-|STOP]");
    expect([sink.raws, sink.runs]).toEqual([4, 3]);
  });

  it("holds a partial event until its blank line, even split inside the blank line", () => {
    const sink = new Recorder(true);
    const reader = createSseReader(sink);
    expect(reader.push("data: a\n")).toBe("");
    expect(reader.push("\ndata: b\n")).toBe("[-|a]");
    expect(reader.push("\n")).toBe("[-|b]");
    expect(sink.raws).toBe(2);
  });

  it("stops at done and drops the rest", () => {
    const reader = createSseReader(new Recorder(true));
    expect(reader.push("data: a\n\ndata: STOP\n\ndata: b\n\n")).toBe("[-|a][-|STOP]");
    expect(reader.push("data: c\n\n")).toBe("");
    expect(reader.end()).toBe("");
  });

  it("on end, dispatches a last event that lacks only its blank line", () => {
    const reader = createSseReader(new Recorder(true));
    expect(reader.push("data: a\n\ndata: [DONE]\n")).toBe("[-|a]");
    expect(reader.end()).toBe("[-|[DONE]]");
  });

  it("gives what the plain decoder gives, chunk by chunk, for any text cut anywhere", () => {
    fc.assert(
      fc.property(fc.oneof(sse, events), fc.array(fc.nat(), { maxLength: 12 }), (text, points) => {
        const chunks = cut(text, points);
        const expected = reference(chunks);
        expect(read(chunks).out).toEqual(expected);
        expect(read(chunks, undefined, true).out).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("throws where the plain decoder throws for an event past maxBufferSize", () => {
    fc.assert(
      fc.property(
        fc.oneof(sse, events),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 4, max: 40 }),
        (text, points, max) => {
          const chunks = cut(text, points);
          const expected = reference(chunks, max);
          expect(read(chunks, max).out).toEqual(expected);
          expect(read(chunks, max, true).out).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("parses a partial event past 64 KiB rather than holding it", () => {
    const sink = new Recorder(true);
    const reader = createSseReader(sink, { maxBufferSize: 100_000 });
    reader.push(`data: ${"x".repeat(70_000)}`);
    expect(() => reader.push("y".repeat(40_000))).toThrow(/max buffer size/);
  });
});
