import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRequestLogRing, type RequestLogEntry, serializeLogEntry } from "./request-log.js";

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
});

describe("serializeLogEntry", () => {
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
    expect(serializeLogEntry(typical)).toBe(JSON.stringify(typical));
    expect(JSON.parse(serializeLogEntry(typical))).toEqual(typical);
  });
});
