import { describe, expect, it } from "vitest";
import { isoTime } from "./iso-time.js";

describe("isoTime", () => {
  it("formats like toISOString, for repeated and changing milliseconds", () => {
    for (const ms of [0, 1, 1, 1_763_700_000_123, 1_763_700_000_123, 1_763_700_000_124, 5]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it("agrees with toISOString across seconds, days, years, negatives and the range's ends", () => {
    const edges = [
      -1, -999, -1000, -1001, 999, 1000, 1001, 59_999, 60_000, 86_399_999, 86_400_000,
      951_782_399_999, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000,
      -62_167_219_200_000, -62_167_219_200_001, 8.64e15, -8.64e15, 1.5, -1.5, 1_763_700_000_999.9,
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const samples = [...edges];
    for (let i = 0; i < 20_000; i++) samples.push(Math.floor((random() * 2 - 1) * 8.64e15));
    // Runs of neighbouring milliseconds, as a busy proxy sees them.
    for (let ms = 1_763_700_000_990; ms < 1_763_700_001_020; ms++) samples.push(ms);
    for (const ms of samples) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it("throws for a time toISOString cannot format", () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});
