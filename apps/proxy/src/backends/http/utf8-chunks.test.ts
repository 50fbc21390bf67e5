import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createUtf8ChunkDecoder } from "./utf8-chunks.js";

/** `bytes` cut at `cuts` (positions taken modulo the length, duplicates and order ignored). */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of at) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  out.push(bytes.subarray(from));
  return out;
}

function decodeAll(chunks: Buffer[]): string {
  const decoder = createUtf8ChunkDecoder();
  let text = "";
  for (const chunk of chunks) text += decoder.write(chunk);
  return text + decoder.end();
}

describe("createUtf8ChunkDecoder", () => {
  it("equals one streaming TextDecoder for any text cut anywhere (mid code point included)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (text, cuts, bom) => {
          const bytes = Buffer.from(bom ? `\ufeff${text}` : text);
          expect(decodeAll(split(bytes, cuts))).toBe(new TextDecoder().decode(bytes));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("equals TextDecoder on invalid UTF-8 too (truncated and stray bytes)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (raw, cuts) => {
          const bytes = Buffer.from(raw);
          expect(decodeAll(split(bytes, cuts))).toBe(new TextDecoder().decode(bytes));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("keeps a byte order mark that is not at the start", () => {
    const decoder = createUtf8ChunkDecoder();
    expect(decoder.write(Buffer.from("data: a\n\n"))).toBe("data: a\n\n");
    expect(decoder.write(Buffer.from("\ufeffb"))).toBe("\ufeffb");
    expect(decoder.end()).toBe("");
  });
});
