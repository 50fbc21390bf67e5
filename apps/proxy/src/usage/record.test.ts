import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { toUsageRecord, type UsageEntry, usageEntryLine, usageRecordLine } from "./record.js";

/** Any UTF-16 text: quotes, backslashes, control characters and lone surrogates included. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('"', "\\", "\n", "\u0000", "\u2028", "\ud800", "\udfff", "é", "😀"),
    fc.constantFrom("a", "b", "-", ".", "/"),
  ),
  maxLength: 600,
});
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 1e-7, 0.1 + 0.2),
);
const entryArb: fc.Arbitrary<UsageEntry> = fc.record(
  {
    time: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constant("not a date")),
    backend: anyText,
    target: anyText,
    model: anyText,
    session: anyText,
    sessionHash: fc.oneof(fc.constant(""), anyText),
    inputTokens: anyNumber,
    outputTokens: anyNumber,
    cacheReadTokens: anyNumber,
    cacheWriteTokens: anyNumber,
    costUsd: fc.oneof(anyNumber, fc.constant(null)),
    status: anyNumber,
    latencyMs: anyNumber,
    billing: fc.array(anyText, { maxLength: 3 }),
  },
  { requiredKeys: ["backend", "model", "status", "latencyMs"] },
);

describe("usageRecordLine", () => {
  it("writes what JSON.stringify writes for every record, byte for byte", () => {
    fc.assert(
      fc.property(entryArb, (entry) => {
        const record = toUsageRecord(entry, 1_765_000_000_000);
        expect(usageRecordLine(record)).toBe(JSON.stringify(record));
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 2_000) },
    );
  });

  it("keeps the order of the members a record is made with", () => {
    const record = toUsageRecord(
      {
        backend: "anthropic",
        target: "b",
        model: "claude-x",
        sessionHash: "0123456789abcdef0123",
        status: 200,
        latencyMs: 12.4,
        costUsd: 0.25,
        inputTokens: 3,
        billing: ["overage-billed"],
      },
      Date.UTC(2026, 0, 2, 3, 4, 5, 6),
    );
    expect(usageRecordLine(record)).toBe(
      '{"v":1,"time":"2026-01-02T03:04:05.006Z","backend":"anthropic","model":"claude-x","inputTokens":3,"outputTokens":0,"cacheReadTokens":0,"cacheWriteTokens":0,"costUsd":0.25,"status":200,"latencyMs":12,"target":"b","session":"0123456789abcdef","billing":["overage-billed"]}',
    );
  });
});

describe("usageEntryLine", () => {
  it("quotes a field with the value it had on the line before without testing it again", () => {
    const entry: UsageEntry = {
      backend: "anthropic",
      target: "anthropic#0",
      model: "claude-x",
      sessionHash: "0123456789abcdef0123",
      status: 200,
      latencyMs: 3,
    };
    usageEntryLine(entry, 0);
    const tests = vi.spyOn(RegExp.prototype, "test");
    let line: string;
    try {
      line = usageEntryLine({ ...entry, model: "claude-y" }, 0);
      // The model only: the backend, target and session repeat the line before.
      expect(tests).toHaveBeenCalledTimes(1);
    } finally {
      tests.mockRestore();
    }
    expect(line).toBe(JSON.stringify(toUsageRecord({ ...entry, model: "claude-y" }, 0)));
  });

  it("writes the record's line straight from the entry, byte for byte", () => {
    fc.assert(
      fc.property(entryArb, fc.integer({ min: 0, max: 4_102_444_800_000 }), (entry, now) => {
        expect(usageEntryLine(entry, now)).toBe(JSON.stringify(toUsageRecord(entry, now)));
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 2_000) },
    );
  });
});
