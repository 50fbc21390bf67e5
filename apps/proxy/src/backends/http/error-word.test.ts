import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { errorFinder, findErrorLoop, SIMD_MIN_BYTES, simdAvailable } from "./error-word.js";

const runs = Number(process.env.FC_NUM_RUNS ?? 1_000);

/** Every index of `error` in `bytes`, found by the search under test from 0 on. */
function allMatches(bytes: Buffer): number[] {
  const find = errorFinder(bytes);
  const out: number[] = [];
  for (let at = find(bytes, 0); at >= 0; at = find(bytes, at + 1)) out.push(at);
  return out;
}

/** The same with Node's `Buffer#indexOf`. */
function expected(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let at = bytes.indexOf("error"); at >= 0; at = bytes.indexOf("error", at + 1)) out.push(at);
  return out;
}

/** Bytes drawn mostly from the letters of `error` (so near-misses are common). */
const letters = fc
  .array(fc.constantFrom(0x65, 0x72, 0x6f, 0x22, 0x0a, 0x78), { maxLength: 1200, size: "max" })
  .map((b) => Buffer.from(b));

describe("errorFinder", () => {
  it("finds every `error` that indexOf finds, in short and long buffers alike", () => {
    fc.assert(
      fc.property(letters, (bytes) => {
        expect(allMatches(bytes)).toEqual(expected(bytes));
      }),
      { numRuns: runs },
    );
  });

  it("does not see a match in bytes left in its copy by a longer buffer before", () => {
    fc.assert(
      fc.property(letters, fc.nat({ max: 40 }), (bytes, cut) => {
        const base = Buffer.concat([Buffer.alloc(SIMD_MIN_BYTES + 40, 0x78), bytes]);
        allMatches(Buffer.concat([base, Buffer.from("error".repeat(20))]));
        // The copy now holds `error`s right after the end of the shorter buffer.
        const short = base.subarray(0, base.length - cut);
        expect(allMatches(short)).toEqual(expected(short));
      }),
      { numRuns: runs },
    );
  });

  it("finds a match at every offset within a 16-byte block and at the very end", () => {
    const base = Buffer.alloc(SIMD_MIN_BYTES + 40, 0x78);
    for (let at = 0; at + 5 <= base.length; at++) {
      const bytes = Buffer.from(base);
      bytes.write("error", at, "latin1");
      expect(allMatches(bytes)).toEqual([at]);
      expect(errorFinder(bytes)(bytes, at + 1)).toBe(-1);
    }
    const cutShort = Buffer.concat([base, Buffer.from("erro")]);
    expect(allMatches(cutShort)).toEqual([]);
  });

  it("searches a long buffer with SIMD and a short one with the loop", () => {
    expect(simdAvailable()).toBe(true);
    expect(errorFinder(Buffer.alloc(SIMD_MIN_BYTES))).not.toBe(findErrorLoop);
    expect(errorFinder(Buffer.alloc(SIMD_MIN_BYTES - 1))).toBe(findErrorLoop);
  });

  it("grows its copy for a buffer larger than one WebAssembly page", () => {
    const bytes = Buffer.alloc(200_000, 0x78);
    bytes.write("error", 150_000, "latin1");
    bytes.write("error", 199_995, "latin1");
    expect(allMatches(bytes)).toEqual([150_000, 199_995]);
  });
});
