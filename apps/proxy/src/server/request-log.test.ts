import { Writable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { createLineWriter } from "../cli/line-writer.js";
import {
  createLogEntry,
  createRequestLogRing,
  type RequestLogEntry,
  serializeFlat,
  serializeLogEntry,
} from "./request-log.js";

const entry = (n: number, backend = "a", status = 200): RequestLogEntry => ({
  time: "t",
  id: String(n),
  method: "POST",
  path: "/v1/messages",
  backend,
  status,
  latencyMs: 1,
});

describe("createRequestLogRing", () => {
  it("keeps the last entries in order and counts by backend and status", () => {
    const ring = createRequestLogRing(3);
    for (let i = 1; i <= 5; i++) ring.add(entry(i, i % 2 === 0 ? "b" : "a", i === 5 ? 429 : 200));
    expect(ring.last(10).map((e) => e.id)).toEqual(["3", "4", "5"]);
    expect(ring.last(2).map((e) => e.id)).toEqual(["4", "5"]);
    expect(ring.total()).toBe(5);
    expect(ring.counts()).toEqual({ a: { "200": 2, "429": 1 }, b: { "200": 2 } });
  });

  it("returns each line's UTF-8 bytes as its slot holds them; none for a line too long for one", () => {
    const ring = createRequestLogRing(2);
    const short = { ...entry(1, "é🙂", 200), model: "ü".repeat(30) };
    const bytes = ring.add(short, JSON.stringify(short));
    expect(Buffer.from(bytes as Uint8Array).toString()).toBe(JSON.stringify(short));
    const long = { ...entry(2, "a", 200), model: "x".repeat(2000) };
    expect(ring.add(long, JSON.stringify(long))).toBeUndefined();
    expect(ring.last(2)).toEqual([short, long]);
  });

  it("gives back long and non-ASCII lines exactly, across wrap-arounds", () => {
    const ring = createRequestLogRing(4);
    const entries = [
      { ...entry(1), model: 'é🙂\u2028"q"' },
      { ...entry(2), model: "x".repeat(1019) }, // just past a slot: kept as a string
      { ...entry(3), model: "ü".repeat(600) }, // 1,200 bytes of UTF-8 in 600 characters
      { ...entry(4), model: "m" },
      { ...entry(5), model: "\ud800 lone" },
      { ...entry(6), model: "y".repeat(950) }, // fits a slot
    ];
    for (const e of entries) ring.add(e);
    expect(ring.last(10)).toEqual(JSON.parse(JSON.stringify(entries.slice(2))));
    expect(ring.last(1)[0]?.model).toBe("y".repeat(950));
  });
});

describe("serializeFlat and serializeLogEntry", () => {
  it("writes exactly what JSON.stringify writes, whatever the members hold", () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: "grapheme" }),
      fc.string({ unit: "binary" }),
      fc.constantFrom(
        'say "hi"',
        "a\\b",
        "line\nbreak",
        "\u0000",
        "\ud800",
        "é\u2028",
        "x".repeat(300),
      ),
    );
    const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, 1e21, Number.NaN));
    const member = fc.oneof(
      text,
      number,
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(text, { maxLength: 3 }),
    );
    const keys = [
      "time",
      "id",
      "method",
      "path",
      "model",
      "route",
      "backend",
      "status",
      "latencyMs",
      "costUsd",
      "billingSignals",
      "stream",
      "error",
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), member), (members) => {
        const entry = members as unknown as RequestLogEntry;
        expect(serializeFlat(entry)).toBe(JSON.stringify(entry));
        expect(serializeLogEntry(entry)).toBe(JSON.stringify(entry));
      }),
      { numRuns: 2000 },
    );
  });

  it("writes a typical finished request as JSON.stringify does", () => {
    const typical: RequestLogEntry = {
      ...entry(7),
      route: "route:claude-*",
      model: 'claude-"quoted"',
      stream: true,
      ttfbMs: 0.42,
      costUsd: null,
      billingSignals: ["overage-billed"],
      clientClosed: false,
    };
    expect(serializeFlat(typical)).toBe(JSON.stringify(typical));
    expect(serializeLogEntry(typical)).toBe(JSON.stringify(typical));
    expect(JSON.parse(serializeLogEntry(typical))).toEqual(typical);
  });
});

/** The members of a typical streamed request's entry the server knows when it arrives… */
const typicalHead = (n: number) => ({
  time: "2026-12-06T18:00:00.123Z",
  id: `3b241101-e2bb-4255-8caf-${String(n).padStart(12, "0")}`,
  method: "POST",
  path: "/v1/chat/completions",
});

/** …and the rest, learnt as it is served. */
const typicalRest = (n: number) => ({
  route: "route:gpt-*",
  backend: "oa",
  model: "gpt-bench-9",
  upstreamModel: "gpt-bench-9",
  stream: true,
  status: 200,
  latencyMs: 1.25 + n,
  ttfbMs: 0.5,
  inputTokens: 20,
  outputTokens: 9,
  target: "oa",
  sessionKey: "abcdef123456",
  costUsd: null,
});

/**
 * Serialises every entry and hands its line to a ring and a line writer, as the server does;
 * returns the V8 heap that is left per line after a full GC, and the ring.
 */
function heapPerLine(entries: RequestLogEntry[]) {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const ring = createRequestLogRing(entries.length);
  const log = createLineWriter({ stream: new Writable({ write: (_c, _e, done) => done() }) });
  const line = serializeLogEntry(entries[0] as RequestLogEntry);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (const e of entries) {
    const line = serializeLogEntry(e);
    // As the server and the CLI do: the ring's bytes go to the writer, copied, not re-encoded.
    const bytes = ring.add(e, line);
    if (bytes === undefined) log.write(line);
    else log.writeBytes(bytes); // held until the next event-loop turn
  }
  gc();
  return { perLine: (process.memoryUsage().heapUsed - before) / entries.length, line, ring };
}

describe("request-log lines held by the ring", () => {
  it("put nothing on the V8 heap per request, and the line writer holds none either", () => {
    const typical = (n: number): RequestLogEntry => ({ ...typicalHead(n), ...typicalRest(n) });
    const entries = Array.from({ length: 2000 }, (_, n) => typical(n));
    const { perLine, line, ring } = heapPerLine(entries);
    // Measured for these ~365-character lines: ~370 bytes each when the ring held the flat
    // string, ~2,360 when it held the rope a member-by-member `+=` built; ~170 as bytes in the
    // ring's buffer (what is left is the latencies' number-string cache).
    expect(perLine).toBeLessThan(line.length * 0.7);
    expect(ring.last(1)[0]).toEqual(entries.at(-1));
  });
});

/** A routed, answered request's entry as the server fills it. */
const typical = (id: string) =>
  Object.assign(createLogEntry("2026-12-06T18:00:00.123Z", id, "POST", "/v1/messages"), {
    model: "claude-x",
    route: "prefix",
    backend: "a",
    upstreamModel: "claude-x",
    stream: false,
    sessionKey: "abcdef123456",
    target: "a#0",
    status: 200,
    latencyMs: 1.25,
  });

describe("serializeLogEntry for entries from createLogEntry", () => {
  const names = [
    "time",
    "id",
    "method",
    "path",
    "status",
    "latencyMs",
    "model",
    "route",
    "backend",
    "upstreamModel",
    "stream",
    "sessionKey",
    "target",
    "failovers",
    "billingSignals",
    "error",
    "omitted",
    "inputTokens",
    "outputTokens",
    "cacheReadTokens",
    "cacheWriteTokens",
    "clientClosed",
    "ttfbMs",
    "costUsd",
  ] as const;
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
    fc.constantFrom('say "hi"', "a\\b", "line\nbreak", "\u0000", "\ud800", "x".repeat(600)),
  );
  // Declared types mostly, and anything else a member could end up holding now and then.
  const value = fc.oneof(
    { weight: 4, arbitrary: text },
    {
      weight: 4,
      arbitrary: fc.oneof(
        fc.double(),
        fc.integer(),
        fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY),
      ),
    },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 2, arbitrary: fc.array(text, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined, () => 1, { a: 1 }, [1, "x"]) },
  );

  it("writes exactly what JSON.stringify writes, whatever is set in whatever order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 30 }),
        (sets) => {
          const entry = createLogEntry("2026-12-06T18:00:00.123Z", "id-1", "POST", "/v1/messages");
          for (const [name, v] of sets) (entry as unknown as Record<string, unknown>)[name] = v;
          expect(serializeLogEntry(entry)).toBe(JSON.stringify(entry));
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 2_000) },
    );
  });

  it("writes a typical request without the generic JSON.stringify", () => {
    const entry = Object.assign(typical("id-1"), {
      ttfbMs: 0.5,
      inputTokens: 3,
      outputTokens: 4,
      costUsd: null,
    });
    const stringify = vi.spyOn(JSON, "stringify");
    let line: string;
    try {
      line = serializeLogEntry(entry);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    expect(line).toBe(JSON.stringify(entry));
  });
});

describe("serializeLogEntry for a run of requests sharing their values", () => {
  it("quotes a member with the value it had on the line before without testing it again", () => {
    serializeLogEntry(typical("id-1"));
    const entry = typical("id-2");
    const tests = vi.spyOn(RegExp.prototype, "test");
    let line: string;
    try {
      line = serializeLogEntry(entry);
      // The id only: every other string member (the time too, within one millisecond)
      // repeats the line before.
      expect(tests).toHaveBeenCalledTimes(1);
    } finally {
      tests.mockRestore();
    }
    expect(line).toBe(JSON.stringify(entry));
  });

  it("writes exactly what JSON.stringify writes when values repeat, change and come back", () => {
    // A few values, so that most lines repeat a member of the line before and many change it.
    const text = fc.constantFrom(
      "a",
      "b",
      'say "hi"',
      "line\nbreak",
      "\ud800",
      "x".repeat(600),
      "",
    );
    const members = [
      "time",
      "method",
      "path",
      "model",
      "route",
      "backend",
      "upstreamModel",
      "sessionKey",
      "target",
      "error",
    ] as const;
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.constantFrom(...members), text), { maxLength: 9 }), {
          minLength: 1,
          maxLength: 8,
        }),
        (lines) => {
          for (const sets of lines) {
            const entry = createLogEntry(
              "2026-12-06T18:00:00.123Z",
              "id-1",
              "POST",
              "/v1/messages",
            );
            for (const [name, v] of sets) (entry as unknown as Record<string, unknown>)[name] = v;
            expect(serializeLogEntry(entry)).toBe(JSON.stringify(entry));
          }
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 2_000) },
    );
  });
});

describe("request-log lines of createLogEntry entries held by the ring", () => {
  it("put nothing on the V8 heap per request either (the concatenated line is not kept)", () => {
    const typical = (n: number): RequestLogEntry => {
      const { time, id, method, path } = typicalHead(n);
      return Object.assign(createLogEntry(time, id, method, path), typicalRest(n));
    };
    const entries = Array.from({ length: 2000 }, (_, n) => typical(n));
    const { perLine, line, ring } = heapPerLine(entries);
    expect(perLine).toBeLessThan(line.length * 0.7);
    expect(ring.last(1)[0]).toEqual(JSON.parse(JSON.stringify(entries.at(-1))));
  });
});
