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
  usage(dialect: "anthropic" | "openai" | "responses"): UsageSummary | undefined;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Index of the value after a JSON key ending just before `i` (`"key" : value`), or -1. */
function valueStart(text: string, i: number): number {
  while (isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 58 /* : */) return -1;
  i++;
  while (isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * The number after the last `key: <digits>` in `text`, `key` a quoted field name such as
 * `"input_tokens"` (no regex, no scan of the whole text: it searches backwards for the key
 * and reads the digits after it).
 */
function lastNumber(text: string, key: string): number | undefined {
  // No usage object (an error body, or the head of a body whose only one is the tail's):
  // nothing to find, and no native search to pay for.
  if (text.length === 0) return undefined;
  for (
    let at = text.lastIndexOf(key);
    at >= 0;
    at = at === 0 ? -1 : text.lastIndexOf(key, at - 1)
  ) {
    const start = valueStart(text, at + key.length);
    if (start < 0) continue;
    let i = start;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    if (i > start) return Number(text.slice(start, i));
  }
  return undefined;
}

const USAGE_KEY = '"usage"';
// The counts' keys, quoted as they appear in the JSON.
const INPUT_TOKENS = '"input_tokens"';
const OUTPUT_TOKENS = '"output_tokens"';
const CACHE_READ = '"cache_read_input_tokens"';
const CACHE_WRITE = '"cache_creation_input_tokens"';
const CACHED_TOKENS = '"cached_tokens"';
const PROMPT_TOKENS = '"prompt_tokens"';
const COMPLETION_TOKENS = '"completion_tokens"';

/** Index of the `{` of the object the `"usage"` key at `at` holds, or -1 (`null`, …). */
function usageObjectAt(text: string, at: number): number {
  const i = valueStart(text, at + USAGE_KEY.length);
  return i >= 0 && text.charCodeAt(i) === 123 /* { */ ? i : -1;
}

/** Index just past the object opening at `start` (strings skipped), or the end of `text`. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) {
        if (text.charCodeAt(i) === 92 /* \ */) i++;
      }
    } else if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */ && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Where the key of the object {@link usageSection} last returned starts (-1: none). */
let sectionAt = -1;

/**
 * The last (or, with `first`, the first) `"usage"` object in `text`; "" when it has none. The
 * head's first usage is Anthropic's `message_start`; the tail's last is the final
 * `message_delta` or OpenAI's usage chunk. Only the object: a field it lacks (an Anthropic
 * stream's cache counts) is then looked for in a few dozen characters, not in the rest of a
 * 4 KiB window (V8 searches a string backwards character by character).
 */
function usageSection(text: string, first = false): string {
  let at = first ? text.indexOf(USAGE_KEY) : text.lastIndexOf(USAGE_KEY);
  while (at >= 0) {
    const start = usageObjectAt(text, at);
    if (start >= 0) {
      sectionAt = at;
      return text.slice(at, objectEnd(text, start));
    }
    if (first) at = text.indexOf(USAGE_KEY, at + 1);
    else at = at === 0 ? -1 : text.lastIndexOf(USAGE_KEY, at - 1);
  }
  sectionAt = -1;
  return "";
}

/*
 * A window is read as text for the searches above: latin1, a copy with no decoding. Everything
 * read from it (keys, digits, spaces, braces, quotes) is ASCII, which UTF-8 never uses inside a
 * multi-byte character, so the counts are the same as from the UTF-8 text. The window is
 * decoded straight from its chunk by offsets: a `subarray` view per window cost more than the
 * copy (0.15-0.45 us on Node 20).
 */

/** The first `window` bytes of `chunks` as text (joined only when they span several chunks). */
function firstText(chunks: Buffer[], size: number): string {
  const first = chunks[0];
  if (first === undefined) return "";
  const whole = first.length >= window || chunks.length === 1 ? first : Buffer.concat(chunks, size);
  return whole.toString("latin1", 0, Math.min(window, whole.length));
}

/** The last `window` bytes of `chunks` as text (joined only when they span several chunks). */
function lastText(chunks: Buffer[], size: number): string {
  const last = chunks[chunks.length - 1];
  if (last === undefined) return "";
  const whole = last.length >= window || chunks.length === 1 ? last : Buffer.concat(chunks, size);
  return whole.toString("latin1", Math.max(0, whole.length - window));
}

/** Creates a scanner. */
export function createUsageScanner(): UsageScanner {
  // Chunks are kept by reference and joined once, in `usage()`: no copy per chunk.
  let head: Buffer[] = [];
  let headSize = 0;
  let tail: Buffer[] = [];
  let tailSize = 0;
  return {
    push(chunk) {
      if (headSize < window) {
        head.push(chunk);
        headSize += chunk.length;
      }
      tail.push(chunk);
      tailSize += chunk.length;
      while (tail.length > 1 && tailSize - (tail[0]?.length ?? 0) >= window) {
        tailSize -= tail.shift()?.length ?? 0;
      }
    },
    usage(dialect) {
      // Token counts live in a `usage` object: only that object is searched, so a field that
      // is absent does not cost a scan of the whole window.
      const tailFull = lastText(tail, tailSize);
      const tailText = usageSection(tailFull);
      const tailAt = sectionAt;
      const out: UsageSummary = {};
      if (dialect === "anthropic") {
        // The head (`message_start`): only Anthropic needs it; a body within one chunk and one
        // window is read once for both ends. When that text has one `"usage"` key only (a JSON
        // message), its first usage object is the tail's: the head could only repeat the
        // tail's misses, so it is not searched.
        const whole =
          head.length === 1 && tail.length === 1 && head[0] === tail[0] && tailSize <= window;
        const headText = !whole
          ? usageSection(firstText(head, headSize), true)
          : tailAt >= 0 && tailFull.indexOf(USAGE_KEY) === tailAt
            ? ""
            : usageSection(tailFull, true);
        const input = lastNumber(tailText, INPUT_TOKENS) ?? lastNumber(headText, INPUT_TOKENS);
        const output = lastNumber(tailText, OUTPUT_TOKENS);
        const cacheRead = lastNumber(tailText, CACHE_READ) ?? lastNumber(headText, CACHE_READ);
        const cacheWrite = lastNumber(tailText, CACHE_WRITE) ?? lastNumber(headText, CACHE_WRITE);
        if (input !== undefined) out.inputTokens = input;
        if (output !== undefined) out.outputTokens = output;
        if (cacheRead !== undefined) out.cacheReadTokens = cacheRead;
        if (cacheWrite !== undefined) out.cacheWriteTokens = cacheWrite;
      } else if (dialect === "responses") {
        // Responses usage: input_tokens includes cached_tokens, as prompt_tokens does.
        const input = lastNumber(tailText, INPUT_TOKENS);
        const output = lastNumber(tailText, OUTPUT_TOKENS);
        const cached = lastNumber(tailText, CACHED_TOKENS) ?? 0;
        if (input !== undefined) out.inputTokens = Math.max(0, input - cached);
        if (output !== undefined) out.outputTokens = output;
        if (cached > 0) out.cacheReadTokens = cached;
      } else {
        const prompt = lastNumber(tailText, PROMPT_TOKENS);
        const completion = lastNumber(tailText, COMPLETION_TOKENS);
        const cached = lastNumber(tailText, CACHED_TOKENS) ?? 0;
        if (prompt !== undefined) out.inputTokens = Math.max(0, prompt - cached);
        if (completion !== undefined) out.outputTokens = completion;
        if (cached > 0) out.cacheReadTokens = cached;
      }
      tail = [];
      head = [];
      return out.inputTokens === undefined &&
        out.outputTokens === undefined &&
        out.cacheReadTokens === undefined &&
        out.cacheWriteTokens === undefined
        ? undefined
        : out;
    },
  };
}
