import type { UsageSummary } from "../types.js";

const window = 4096;

/**
 * Keeps the first and last 4 KiB of a relayed body so usage can be read AFTER the bytes
 * went out, without parsing the body on the hot path. Usage sits in the head
 * (Anthropic `message_start`) and the tail (final `message_delta`, OpenAI's last chunk,
 * or the end of a JSON body).
 */
export interface UsageScanner {
  push(chunk: Buffer): void;
  /** Reads token counts in Anthropic semantics (input excludes cache reads). */
  usage(dialect: "anthropic" | "openai"): UsageSummary | undefined;
}

const patterns = new Map<string, RegExp>();

const lastNumber = (text: string, field: string): number | undefined => {
  let re = patterns.get(field);
  if (re === undefined) {
    re = new RegExp(`"${field}"\\s*:\\s*(\\d+)`, "g");
    patterns.set(field, re);
  }
  re.lastIndex = 0;
  let value: number | undefined;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) value = Number(m[1]);
  return value;
};

/** Creates a scanner. */
export function createUsageScanner(): UsageScanner {
  let head = Buffer.alloc(0);
  let tail: Buffer[] = [];
  let tailSize = 0;
  return {
    push(chunk) {
      if (head.length < window)
        head = Buffer.concat([head, chunk.subarray(0, window - head.length)]);
      tail.push(chunk);
      tailSize += chunk.length;
      while (tail.length > 1 && tailSize - (tail[0]?.length ?? 0) >= window) {
        tailSize -= tail.shift()?.length ?? 0;
      }
    },
    usage(dialect) {
      const tailText = Buffer.concat(tail).toString("utf8");
      const headText = head.toString("utf8");
      const out: UsageSummary = {};
      if (dialect === "anthropic") {
        const input = lastNumber(tailText, "input_tokens") ?? lastNumber(headText, "input_tokens");
        const output = lastNumber(tailText, "output_tokens");
        const cacheRead =
          lastNumber(tailText, "cache_read_input_tokens") ??
          lastNumber(headText, "cache_read_input_tokens");
        const cacheWrite =
          lastNumber(tailText, "cache_creation_input_tokens") ??
          lastNumber(headText, "cache_creation_input_tokens");
        if (input !== undefined) out.inputTokens = input;
        if (output !== undefined) out.outputTokens = output;
        if (cacheRead !== undefined) out.cacheReadTokens = cacheRead;
        if (cacheWrite !== undefined) out.cacheWriteTokens = cacheWrite;
      } else {
        const prompt = lastNumber(tailText, "prompt_tokens");
        const completion = lastNumber(tailText, "completion_tokens");
        const cached = lastNumber(tailText, "cached_tokens") ?? 0;
        if (prompt !== undefined) out.inputTokens = Math.max(0, prompt - cached);
        if (completion !== undefined) out.outputTokens = completion;
        if (cached > 0) out.cacheReadTokens = cached;
      }
      tail = [];
      return Object.keys(out).length > 0 ? out : undefined;
    },
  };
}
