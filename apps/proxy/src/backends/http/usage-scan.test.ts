import { afterEach, describe, expect, it, vi } from "vitest";
import { createUsageScanner } from "./usage-scan.js";

/** A small deterministic PRNG (mulberry32): the generated cases are the same every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("createUsageScanner", () => {
  it("reads the counts exactly whatever the text around them (non-ASCII, spacing, decoys) and however the bytes are split", () => {
    const random = prng(16);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const texts = [
      "plain words ",
      "café ",
      "日本語のテキスト ",
      "emoji 🦊🐶 ",
      '\\"usage\\" in a string ',
      "x",
    ];
    const space = () => pick(["", " ", "  ", "\n", "\t"]);
    const filler = (n: number) => Array.from({ length: n }, () => pick(texts)).join("");
    for (let round = 0; round < 300; round++) {
      const input = Math.floor(random() * 100_000);
      const output = Math.floor(random() * 100_000);
      const cached = random() < 0.5 ? Math.floor(random() * 1000) : undefined;
      const k = (name: string, value: number) => `"${name}"${space()}:${space()}${value}`;
      const openai = random() < 0.5;
      let body: string;
      if (openai) {
        const details =
          cached === undefined ? "" : `,"prompt_tokens_details":{${k("cached_tokens", cached)}}`;
        body =
          `data: {"text":"${filler(Math.floor(random() * 300))}","usage":null}\n\n` +
          `data: {"usage"${space()}:${space()}{${k("prompt_tokens", input + (cached ?? 0))},${k("completion_tokens", output)}${details}}}\n\n` +
          `data: {"text":"${filler(Math.floor(random() * 20))}","usage":${space()}null}\n\ndata: [DONE]\n\n`;
      } else {
        const read = cached === undefined ? "" : `,${k("cache_read_input_tokens", cached)}`;
        body =
          `event: message_start\ndata: {"message":{"usage"${space()}:${space()}{${k("input_tokens", input)}${read},"output_tokens":1}}}\n\n` +
          `data: {"delta":{"text":"${filler(Math.floor(random() * 300))}"}}\n\n` +
          `event: message_delta\ndata: {"usage":{${k("output_tokens", output)}}}\n\n`;
      }
      // Split anywhere, also inside a multi-byte character.
      const bytes = Buffer.from(body);
      const scanner = createUsageScanner();
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(random() * (random() < 0.2 ? 5000 : 200));
        scanner.push(bytes.subarray(at, at + size));
        at += size;
      }
      const expected: Record<string, number> = { inputTokens: input, outputTokens: output };
      if (cached !== undefined && (cached > 0 || !openai)) expected.cacheReadTokens = cached;
      expect(scanner.usage(openai ? "openai" : "anthropic"), body).toEqual(expected);
    }
  });

  it("reads counts only from inside the usage object, not from the text after it", () => {
    const read = (text: string, dialect: "anthropic" | "openai") => {
      const scanner = createUsageScanner();
      scanner.push(Buffer.from(text));
      return scanner.usage(dialect);
    };
    const anthropic =
      'event: message_start\ndata: {"message":{"usage":{"input_tokens":5,"output_tokens":1}}}\n\n' +
      'event: message_delta\ndata: {"usage":{"output_tokens":7}}\n\n' +
      'event: note\ndata: {"x":{"cache_read_input_tokens":99,"input_tokens":1234}}\n\n';
    expect(read(anthropic, "anthropic")).toEqual({ inputTokens: 5, outputTokens: 7 });
    // The object's end is found past nested objects and braces inside strings.
    const openai =
      'data: {"usage":{"prompt_tokens":20,"prompt_tokens_details":{"cached_tokens":8},"tier":"a}\\"}","completion_tokens":5}}\n\n' +
      'data: {"x":{"completion_tokens":77}}\n\n';
    expect(read(openai, "openai")).toEqual({
      inputTokens: 12,
      outputTokens: 5,
      cacheReadTokens: 8,
    });
  });

  it("reads Anthropic usage from message_start (head) and message_delta (tail) of a long stream", () => {
    const scanner = createUsageScanner();
    scanner.push(
      Buffer.from(
        'event: message_start\ndata: {"usage":{"input_tokens":12,"cache_read_input_tokens":3,"output_tokens":1}}\n\n',
      ),
    );
    for (let i = 0; i < 500; i++)
      scanner.push(Buffer.from(`data: {"delta":{"text":"chunk ${i}"}}\n\n`));
    scanner.push(Buffer.from('event: message_delta\ndata: {"usage":{"output_tokens":99}}\n\n'));
    expect(scanner.usage("anthropic")).toEqual({
      inputTokens: 12,
      outputTokens: 99,
      cacheReadTokens: 3,
    });
  });

  it("reads OpenAI usage with cached tokens moved out of input", () => {
    const scanner = createUsageScanner();
    scanner.push(
      Buffer.from(
        '{"usage":{"prompt_tokens":20,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":8}}}',
      ),
    );
    expect(scanner.usage("openai")).toEqual({
      inputTokens: 12,
      outputTokens: 5,
      cacheReadTokens: 8,
    });
  });

  it("reads the last usage object, whatever its spacing, past later `usage: null` chunks", () => {
    const scanner = createUsageScanner();
    scanner.push(Buffer.from('data: {"choices":[],"usage":null}\n\n'));
    scanner.push(
      Buffer.from('data: {"usage" : {"prompt_tokens" : 7,"completion_tokens": 4 }}\n\n'),
    );
    scanner.push(Buffer.from('data: {"choices":[{"delta":{}}],"usage": null}\n\ndata: [DONE]\n\n'));
    expect(scanner.usage("openai")).toEqual({ inputTokens: 7, outputTokens: 4 });
  });

  it("reads usage at both ends of one large body without scanning the middle", () => {
    const scanner = createUsageScanner();
    const middle = "x".repeat(200_000);
    scanner.push(
      Buffer.from(
        `{"usage":{"input_tokens":5},"pad":"${middle}","more":{"usage":{"output_tokens":6}}}`,
      ),
    );
    expect(scanner.usage("anthropic")).toEqual({ inputTokens: 5, outputTokens: 6 });
  });

  it("reads input tokens from message_start when a short stream fits in the head window", () => {
    const scanner = createUsageScanner();
    scanner.push(
      Buffer.from(
        'event: message_start\ndata: {"message":{"usage":{"input_tokens":1000,"output_tokens":1}}}\n\n' +
          'event: message_delta\ndata: {"delta":{},"usage":{"output_tokens":7}}\n\n',
      ),
    );
    expect(scanner.usage("anthropic")).toEqual({ inputTokens: 1000, outputTokens: 7 });
  });

  it("reads a one-chunk stream's cache counts from its first usage, the output from its last", () => {
    const scanner = createUsageScanner();
    scanner.push(
      Buffer.from(
        'event: message_start\ndata: {"message":{"usage":{"input_tokens":5,"cache_creation_input_tokens":40,"cache_read_input_tokens":2,"output_tokens":1}}}\n\n' +
          'event: message_delta\ndata: {"delta":{},"usage":{"output_tokens":7}}\n\n',
      ),
    );
    expect(scanner.usage("anthropic")).toEqual({
      inputTokens: 5,
      outputTokens: 7,
      cacheReadTokens: 2,
      cacheWriteTokens: 40,
    });
  });

  describe("a JSON message (one chunk, one usage object)", () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });
    const message =
      '{"id":"msg_b","type":"message","role":"assistant","content":[{"type":"text","text":"Hi"}],' +
      '"stop_reason":"end_turn","usage":{"input_tokens":20,"output_tokens":10}}';

    it("reads the counts, the absent cache counts searched once (not again as the head's)", () => {
      const scanner = createUsageScanner();
      scanner.push(Buffer.from(message));
      const searches = vi.spyOn(String.prototype, "lastIndexOf");
      expect(scanner.usage("anthropic")).toEqual({ inputTokens: 20, outputTokens: 10 });
      // The tail's usage object, then input, output, cache read and cache write in it: the
      // head is the same object, so its misses are not searched for a second time.
      expect(searches).toHaveBeenCalledTimes(5);
    });

    it("still reads the head when the text holds a second usage key", () => {
      // `message_start`'s usage (with the cache counts) before `message_delta`'s, one chunk.
      const scanner = createUsageScanner();
      scanner.push(
        Buffer.from(
          '{"usage":{"input_tokens":5,"cache_read_input_tokens":2,"cache_creation_input_tokens":4}}' +
            '{"usage":{"output_tokens":7}}',
        ),
      );
      expect(scanner.usage("anthropic")).toEqual({
        inputTokens: 5,
        outputTokens: 7,
        cacheReadTokens: 2,
        cacheWriteTokens: 4,
      });
    });

    it("reads the counts of a usage object that a later `usage: null` follows", () => {
      const scanner = createUsageScanner();
      scanner.push(
        Buffer.from('{"usage":{"input_tokens":3,"cache_read_input_tokens":1},"x":{"usage":null}}'),
      );
      expect(scanner.usage("anthropic")).toEqual({ inputTokens: 3, cacheReadTokens: 1 });
    });
  });

  it("reports counts of zero, and nothing for a usage object without counts", () => {
    const read = (text: string, dialect: "anthropic" | "openai" | "responses") => {
      const scanner = createUsageScanner();
      scanner.push(Buffer.from(text));
      return scanner.usage(dialect);
    };
    expect(read('{"usage":{"input_tokens":0,"output_tokens":0}}', "anthropic")).toEqual({
      inputTokens: 0,
      outputTokens: 0,
    });
    expect(read('{"usage":{"cache_read_input_tokens":0}}', "anthropic")).toEqual({
      cacheReadTokens: 0,
    });
    expect(read('{"usage":{"completion_tokens":0}}', "openai")).toEqual({ outputTokens: 0 });
    expect(read('{"usage":{"input_tokens":3}}', "responses")).toEqual({ inputTokens: 3 });
    expect(read('{"usage":{"total_tokens":9}}', "openai")).toBeUndefined();
    expect(read('{"usage":{}}', "anthropic")).toBeUndefined();
  });

  it("reports nothing when there is no usage", () => {
    const scanner = createUsageScanner();
    scanner.push(Buffer.from("data: [DONE]\n\n"));
    expect(scanner.usage("openai")).toBeUndefined();
  });
});
