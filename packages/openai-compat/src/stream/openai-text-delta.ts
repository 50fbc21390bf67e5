import { isJsonStringLiteral } from "./json-literal.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Nesting deeper than this inside an ignored value: leave the chunk to `JSON.parse`. */
const MAX_DEPTH = 32;

/** Where a key is: the chunk, its one choice, or that choice's delta. */
type Level = 0 | 1 | 2;
const CHUNK = 0;
const CHOICE = 1;
const DELTA = 2;
/** `seen` bits of the keys whose value, if repeated, JSON.parse would take from the last. */
const SEEN_CHOICES = 1;
const SEEN_DELTA = 2;

// What a scan found. Module state, not locals: the scan is synchronous and never re-entered.
// Every reader below takes the text and an index and returns the index after what it read,
// or -1 when the text is not what a plain text delta is made of.
let contentStart = -1;
let contentEnd = -1;
let seen = 0;
/** Set by `string()` when the literal it read holds a backslash. */
let escaped = false;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

function space(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** One JSON string literal at `i`, validated as `JSON.parse` would. */
function string(s: string, i: number): number {
  escaped = false;
  const start = i;
  if (s.charCodeAt(i) !== QUOTE) return -1;
  const n = s.length;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      i++;
      return !escaped || isJsonStringLiteral(s, start, i) ? i : -1;
    }
    if (c === BACKSLASH) {
      escaped = true;
      i++; // the escaped character; `isJsonStringLiteral` checks the escape itself
    } else if (c < 0x20) return -1;
  }
  return -1;
}

/** A JSON number at `i` (RFC 8259 §6). */
function number(s: string, i: number): number {
  if (s.charCodeAt(i) === 0x2d /* - */) i++;
  const first = s.charCodeAt(i);
  if (first === 0x30) i++;
  else if (isDigit(first)) while (isDigit(s.charCodeAt(i))) i++;
  else return -1;
  if (s.charCodeAt(i) === 0x2e /* . */) {
    if (!isDigit(s.charCodeAt(++i))) return -1;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  const e = s.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    const sign = s.charCodeAt(++i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  return i;
}

const word = (s: string, i: number, text: string) => (s.startsWith(text, i) ? i + text.length : -1);

/** Any JSON value at `i`, validated; its content is of no interest. */
function value(s: string, i: number, depth: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return string(s, i);
  if (c === 0x74) return word(s, i, "true");
  if (c === 0x66) return word(s, i, "false");
  if (c === 0x6e) return word(s, i, "null");
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) return number(s, i);
  if (depth >= MAX_DEPTH) return -1;
  const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
  i = space(s, i + 1);
  if (s.charCodeAt(i) === close) return i + 1;
  for (;;) {
    if (close === CLOSE_BRACE) {
      i = string(s, i);
      if (i < 0) return -1;
      i = space(s, i);
      if (s.charCodeAt(i) !== COLON) return -1;
      i = space(s, i + 1);
    }
    i = value(s, i, depth + 1);
    if (i < 0) return -1;
    i = space(s, i);
    const next = s.charCodeAt(i);
    if (next === close) return i + 1;
    if (next !== COMMA) return -1;
    i = space(s, i + 1);
  }
}

/** The key at `[start, end)` (quotes included) is `name`. */
const keyIs = (s: string, start: number, end: number, name: string) =>
  end - start === name.length + 2 && s.startsWith(name, start + 1);

/** Marks a key seen; false if it was already (JSON.parse would keep its last value). */
function once(bit: number): boolean {
  if ((seen & bit) !== 0) return false;
  seen |= bit;
  return true;
}

/**
 * The value at `i` of the key at `[start, end)` of an object at `level`. Keys the translator
 * reads must hold what a text delta holds; every other key's value is only validated.
 */
function member(s: string, i: number, level: Level, start: number, end: number): number {
  if (level === CHUNK) {
    if (keyIs(s, start, end, "choices")) return once(SEEN_CHOICES) ? choices(s, i) : -1;
    if (keyIs(s, start, end, "usage")) return word(s, i, "null");
    if (keyIs(s, start, end, "error")) return -1;
    if (keyIs(s, start, end, "object") || keyIs(s, start, end, "type")) {
      const after = value(s, i, 1);
      return after - i === 7 && s.startsWith('"error"', i) ? -1 : after;
    }
  } else if (level === CHOICE) {
    if (keyIs(s, start, end, "index")) return s.charCodeAt(i) === 0x30 ? i + 1 : -1;
    if (keyIs(s, start, end, "delta")) return once(SEEN_DELTA) ? object(s, i, DELTA) : -1;
    if (keyIs(s, start, end, "finish_reason")) return word(s, i, "null");
  } else {
    if (keyIs(s, start, end, "content")) {
      if (contentStart >= 0) return -1;
      const after = string(s, i);
      if (after - i <= 2) return -1; // not a string, or ""
      contentStart = i;
      contentEnd = after;
      return after;
    }
    if (
      keyIs(s, start, end, "refusal") ||
      keyIs(s, start, end, "reasoning_content") ||
      keyIs(s, start, end, "reasoning") ||
      keyIs(s, start, end, "tool_calls")
    ) {
      return word(s, i, "null");
    }
  }
  return value(s, i, level + 1);
}

/** Members from the key at `i` to the object's closing brace (the index after it). */
function members(s: string, i: number, level: Level): number {
  for (;;) {
    const start = i;
    i = string(s, i);
    // A key with an escape may spell one that matters (`"cont\u0065nt"`): not scanned.
    if (i < 0 || escaped) return -1;
    const end = i;
    i = space(s, i);
    if (s.charCodeAt(i) !== COLON) return -1;
    i = member(s, space(s, i + 1), level, start, end);
    if (i < 0) return -1;
    i = space(s, i);
    const next = s.charCodeAt(i);
    if (next === CLOSE_BRACE) return i + 1;
    if (next !== COMMA) return -1;
    i = space(s, i + 1);
  }
}

/** After a member's value at `i`: the object's other members up to and past its closing brace. */
function rest(s: string, i: number, level: Level): number {
  if (i < 0) return -1;
  i = space(s, i);
  const next = s.charCodeAt(i);
  if (next === CLOSE_BRACE) return i + 1;
  return next === COMMA ? members(s, space(s, i + 1), level) : -1;
}

function object(s: string, i: number, level: Level): number {
  if (s.charCodeAt(i) !== OPEN_BRACE) return -1;
  i = space(s, i + 1);
  return s.charCodeAt(i) === CLOSE_BRACE ? i + 1 : members(s, i, level);
}

/** `choices`: exactly one choice (a second one would have no place in one message). */
function choices(s: string, i: number): number {
  if (s.charCodeAt(i) !== OPEN_BRACKET) return -1;
  i = space(s, object(s, space(s, i + 1), CHOICE));
  return i >= 0 && s.charCodeAt(i) === CLOSE_BRACKET ? i + 1 : -1;
}

/** Scans a whole chunk; true when it is a plain text delta (`contentStart`/`contentEnd` set). */
function scan(s: string): boolean {
  contentStart = -1;
  seen = 0;
  // Only a `"content"` key, written as is (`member` compares the raw key), sets
  // `contentStart`: a chunk without those nine characters (a stream's finish and usage
  // chunks, a tool call's) is refused by one search instead of a walk over all of it.
  if (s.indexOf('"content"') === -1) return false;
  const end = object(s, space(s, 0), CHUNK);
  return end >= 0 && space(s, end) === s.length && contentStart >= 0;
}

/**
 * Scans a chunk from the end of its content literal at `i`, in the state a whole scan is in
 * there: inside `choices[0].delta`, `choices`, `delta` and `content` seen.
 */
function scanAfterContent(s: string, i: number): boolean {
  contentStart = i;
  seen = SEEN_CHOICES | SEEN_DELTA;
  i = space(s, rest(s, rest(s, i, DELTA), CHOICE));
  if (i < 0 || s.charCodeAt(i) !== CLOSE_BRACKET) return false;
  const end = rest(s, i + 1, CHUNK);
  return end >= 0 && space(s, end) === s.length;
}

/**
 * The `content` of an OpenAI chunk as its JSON literal (quotes and escapes as they came),
 * when `data` is a chunk that carries nothing but text: one choice, with index 0 (or none),
 * a delta whose `content` is a non-empty string and whose `refusal`, `reasoning_content`,
 * `reasoning` and `tool_calls` are absent or null, `finish_reason` and `usage` null or
 * absent, no `error`. Keys the translator never reads (`id`, `model`, `role`, `logprobs`,
 * `obfuscation`, …) may hold any value, in any order. The whole text is validated as
 * `JSON.parse` would; anything else returns undefined: parse it normally.
 *
 * @example
 * openAITextDeltaLiteral('{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}');
 * // '"Hi"'
 */
export function openAITextDeltaLiteral(data: string): string | undefined {
  return scan(data) ? data.slice(contentStart, contentEnd) : undefined;
}

/** Where {@link openAITextDeltaLiteral} finds the literal in `data` (`[start, end)`), if it does. */
export function openAITextDeltaLiteralRange(data: string): [number, number] | undefined {
  return scan(data) ? [contentStart, contentEnd] : undefined;
}

/**
 * A per-stream {@link openAITextDeltaLiteral}: the chunks of one stream differ in little but
 * their text, so the text before the content literal of the last chunk it accepted is kept
 * and a chunk that starts with it is only scanned from its literal on (and not at all past
 * the literal when it also ends as that chunk did). Same answers, a fraction of the work.
 */
export function createOpenAITextDeltaScanner(): (data: string) => string | undefined {
  let prefix = "";
  let suffix = "";
  return (data) => {
    // `slice() ===`, not `startsWith`: V8 only makes `startsWith` fast for a constant argument.
    const start = prefix.length;
    if (start > 0 && data.length > start && data.slice(0, start) === prefix) {
      const end = string(data, start);
      if (end - start <= 2) return undefined; // not a string, or ""
      const sameEnd = data.length - end === suffix.length && data.slice(end) === suffix;
      if (!sameEnd) {
        if (!scanAfterContent(data, end)) return undefined;
        suffix = data.slice(end);
      }
      return data.slice(start, end);
    }
    if (!scan(data)) return undefined;
    prefix = data.slice(0, contentStart);
    suffix = data.slice(contentEnd);
    return data.slice(contentStart, contentEnd);
  };
}

const DATA_FIELD = "data: ";

/**
 * {@link createOpenAITextDeltaScanner} for a whole raw SSE event, `text.slice(start, end)`:
 * `data: <chunk>\n\n` exactly (one data line, no other field, no CR), `<chunk>` as
 * {@link openAITextDeltaLiteral} takes it. The kept prefix and suffix include the field name
 * and the blank line, so a chunk like the last one is compared in two slices.
 */
export function createOpenAITextDeltaEventScanner(
  /** Called for each event it takes that did not start and end as the last one it took. */
  onReshape?: () => void,
): (text: string, start: number, end: number) => string | undefined {
  let prefix = "";
  let suffix = "";
  return (text, start, end) => {
    const literal = start + prefix.length;
    if (prefix.length > 0 && literal < end && text.slice(start, literal) === prefix) {
      const after = string(text, literal);
      // A non-empty string ending inside the event; anything else (e.g. a space before the
      // string, which the prefix does not hold) is read from the start below.
      if (after - literal > 2 && after <= end - 2) {
        if (end - after === suffix.length && text.slice(after, end) === suffix) {
          return text.slice(literal, after);
        }
        // One data line: the first LF is the blank line's (JSON whitespace may hold an LF).
        if (text.indexOf("\n", after) === end - 2) {
          const data = text.slice(start + DATA_FIELD.length, end - 2);
          if (scanAfterContent(data, after - start - DATA_FIELD.length)) {
            suffix = text.slice(after, end);
            onReshape?.();
            return text.slice(literal, after);
          }
        }
      }
    }
    if (text.slice(start, start + DATA_FIELD.length) !== DATA_FIELD) return undefined;
    const data = text.slice(start + DATA_FIELD.length, end - 2);
    if (data.indexOf("\n") !== -1 || !scan(data)) return undefined;
    const offset = start + DATA_FIELD.length;
    prefix = text.slice(start, offset + contentStart);
    suffix = text.slice(offset + contentEnd, end);
    onReshape?.();
    return data.slice(contentStart, contentEnd);
  };
}
