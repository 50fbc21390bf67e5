import { escapeRegExp, JSON_STRING_CONTENT_SOURCE, matchRow } from "./json-literal.js";
import { openAITextDeltaLiteralRange } from "./openai-text-delta.js";

/**
 * Runs of OpenAI text-only chunks translated at once. A text-only chunk of a stream is the
 * same bytes around its content literal, but for a few values that change from stream to
 * stream or chunk to chunk. From one chunk the per-event fast path took, a sticky RegExp is
 * made that matches chunks of its shape: its bytes, any string or number for those values,
 * any non-empty literal. One native match then checks a whole row of chunks, and each chunk
 * costs only finding its literal.
 */

/**
 * Keys whose values change from stream to stream or chunk to chunk (OpenAI's `obfuscation`
 * pads every chunk) and that the text-delta scan accepts with any value at any depth.
 */
const VARYING = new Set(["id", "model", "created", "system_fingerprint", "obfuscation"]);

const STRING = `"${JSON_STRING_CONTENT_SOURCE}"`;
/** A non-empty JSON string literal. */
const NON_EMPTY_STRING = `"(?!")${JSON_STRING_CONTENT_SOURCE}"`;
const NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;

const isSpace = (c: number) => c === 0x20 || c === 0x09;
const isNumberPart = (c: number) =>
  (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;

/** The end of the JSON string literal at `i` (its escapes skipped). */
function stringEnd(s: string, i: number): number {
  for (i++; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) i++;
  }
  return s.length;
}

/** A fragment of a chunk's shape: its RegExp source, and how much of it is fixed text. */
interface FragmentShape {
  readonly source: string;
  /** Characters of the fragment outside varying values: the least any match spans. */
  readonly fixed: number;
  /** Whether it holds no varying value: every match is the fragment itself. */
  readonly exact: boolean;
}

/**
 * The shape of `fragment`, a part of a chunk's JSON text between whole tokens, with the string
 * and number values of {@link VARYING} keys generalised.
 */
function shapeOf(fragment: string): FragmentShape {
  let out = "";
  let fixed = 0;
  let copied = 0;
  /** A varying key was read and its value comes next. */
  let varying = false;
  let i = 0;
  while (i < fragment.length) {
    const c = fragment.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(fragment, i);
      let next = end;
      while (isSpace(fragment.charCodeAt(next))) next++;
      if (fragment.charCodeAt(next) === 0x3a /* : */) {
        varying = VARYING.has(fragment.slice(i + 1, end - 1));
      } else {
        if (varying) {
          out += `${escapeRegExp(fragment.slice(copied, i))}${STRING}`;
          fixed += i - copied;
          copied = end;
        }
        varying = false;
      }
      i = end;
    } else if (isNumberPart(c) && c !== 0x65 && c !== 0x45) {
      let end = i + 1;
      while (isNumberPart(fragment.charCodeAt(end))) end++;
      if (varying) {
        out += `${escapeRegExp(fragment.slice(copied, i))}(?:${NUMBER})`;
        fixed += i - copied;
        copied = end;
      }
      varying = false;
      i = end;
    } else {
      if (c !== 0x3a && !isSpace(c)) varying = false;
      i++;
    }
  }
  return {
    source: out + escapeRegExp(fragment.slice(copied)),
    fixed: fixed + fragment.length - copied,
    exact: copied === 0,
  };
}

/**
 * How many text chunks of one shape the per-event path takes before rows are tried: learning a
 * shape costs about as much as what rows save on thirty chunks, and most streams are longer.
 */
const ROWS_AFTER = 32;

/** How many chunk shapes one stream learns for runs before it leaves text to the per-event path. */
const MAX_STREAM_SHAPES = 4;

/** A chunk shape: the RegExp of a row of its events, and where in an event its literal is. */
export interface OpenAITextDeltaShape {
  /** One or more `data: <chunk>\n\n` events of the shape in a row; sticky. */
  readonly run: RegExp;
  /** The text right before the literal (its key, colon and spaces), found once per event. */
  readonly key: string;
  /** How far into an event its key starts at the least (the fixed text before it). */
  readonly keyFrom: number;
  /**
   * The length of the text between the literal and the event's blank line when it is the same
   * in every event (no varying value after the literal), else -1.
   */
  readonly tail: number;
}

/** Shapes by the bytes around the literal, then by their RegExp source: few per server. */
const byText = new Map<string, OpenAITextDeltaShape>();
const bySource = new Map<string, OpenAITextDeltaShape>();
const MAX_SHAPES = 64;

const DATA_FIELD = "data: ";
const CONTENT_KEY = '"content"';

/**
 * The shape of the event `text.slice(start, end)`, a `data: <chunk>\n\n` event that the
 * per-event fast path took. Undefined if it is not such an event, or if its key could be
 * found elsewhere before the literal.
 */
export function openAITextDeltaShape(
  text: string,
  start: number,
  end: number,
): OpenAITextDeltaShape | undefined {
  if (text.slice(start, start + DATA_FIELD.length) !== DATA_FIELD) return undefined;
  const data = text.slice(start + DATA_FIELD.length, end - 2);
  const range = openAITextDeltaLiteralRange(data);
  if (range === undefined) return undefined;
  const before = data.slice(0, range[0]);
  const after = data.slice(range[1]);
  const exact = `${before}\u0000${after}`;
  let shape = byText.get(exact);
  if (shape !== undefined) return shape;
  // The literal is found after the first `"content"…:` of an event: it must be the last.
  const keyAt = before.lastIndexOf(CONTENT_KEY);
  if (keyAt < 0 || before.indexOf(CONTENT_KEY) !== keyAt) return undefined;
  const head = shapeOf(before);
  const tail = shapeOf(after);
  const source = `(?:${DATA_FIELD}${head.source}${NON_EMPTY_STRING}${tail.source}\n\n)+`;
  shape = bySource.get(source);
  if (shape === undefined) {
    if (bySource.size >= MAX_SHAPES) bySource.clear();
    const key = before.slice(keyAt);
    shape = {
      run: new RegExp(source, "y"),
      key,
      keyFrom: DATA_FIELD.length + head.fixed - key.length,
      tail: tail.exact ? after.length : -1,
    };
    bySource.set(source, shape);
  }
  if (byText.size >= MAX_SHAPES) byText.clear();
  byText.set(exact, shape);
  return shape;
}

/** Whether the event `text.slice(start, end)` is one of `shape`. */
export function isOfShape(
  shape: OpenAITextDeltaShape,
  text: string,
  start: number,
  end: number,
): boolean {
  const run = shape.run;
  run.lastIndex = start;
  return run.test(end === text.length ? text : text.slice(0, end)) && run.lastIndex === end;
}

/**
 * The events in a row of `shape` from `text[start]`, each one's JSON literal pushed to
 * `literals`; returns the index after them (`start` when none).
 */
export function openAITextDeltaLiterals(
  shape: OpenAITextDeltaShape,
  text: string,
  start: number,
  literals: string[],
): number {
  const stop = matchRow(shape.run, text, start);
  const { key, keyFrom, tail } = shape;
  let i = start;
  while (i < stop) {
    // The shape has no LF and a string value holds none: the first blank line ends the event.
    const next = text.indexOf("\n\n", i) + 2;
    let open: number;
    let close: number;
    if (tail >= 0) {
      // A fixed tail: the closing quote is at a known place, and the literal's only unescaped
      // quote before it is its opening one.
      close = next - 3 - tail;
      open = close - 1;
      while (text.charCodeAt(open) !== 0x22 || escapedAt(text, open)) open--;
    } else {
      // No string value holds the key (its quotes would be escaped): its first one is the
      // literal's, and it lies past the fixed text before it.
      open = text.indexOf(key, i + keyFrom) + key.length;
      close = text.indexOf('"', open + 1);
      while (escapedAt(text, close)) close = text.indexOf('"', close + 1);
    }
    literals.push(text.slice(open, close + 1));
    i = next;
  }
  return stop;
}

/** The quote at `i` is escaped: an odd number of backslashes precede it. */
function escapedAt(text: string, i: number): boolean {
  let n = 0;
  while (text.charCodeAt(i - 1 - n) === 0x5c) n++;
  return n % 2 === 1;
}

/**
 * One stream's rows of text-only chunks, for a translator's `textDeltaRunSse`. Learning a
 * shape costs a few microseconds per stream (its RegExp is shared, but the values that vary are
 * found by a scan), so the per-event path (two slice comparisons per chunk) takes a stream's
 * first chunks: rows are tried once it took {@link ROWS_AFTER} of them, or sooner once they
 * changed shape twice (OpenAI pads each with `obfuscation`, so the per-event path would rescan
 * every chunk). Then the shape is learned from a chunk it took, and forgotten when it no longer
 * fits. Measured on a 200-delta stream with 40-character ids: 65 → 50 µs; 9 and 30 deltas: unchanged.
 */
export class OpenAITextDeltaRows {
  /** Text chunks taken that were shaped unlike the one before (the first one counts). */
  private reshapes = 0;
  /** The shape of this stream's text chunks, learned from one the per-event path took. */
  private shape: OpenAITextDeltaShape | undefined = undefined;
  /** Shapes learned: a stream whose text chunks keep changing shape stops learning. */
  private learned = 0;
  /** Text chunks the per-event path took. */
  private taken = 0;
  /**
   * The JSON literals of the row the last {@link run} took, in order. One array for the
   * stream, emptied by each call: most calls (a stream's first chunks) take none, and a new
   * array per chunk would be an allocation each. Read it before the next call.
   */
  readonly literals: string[] = [];

  /** The `onReshape` of this stream's `createOpenAITextDeltaEventScanner`. */
  readonly reshaped = (): void => {
    this.reshapes++;
  };

  /**
   * After the per-event path took the chunk `text.slice(start, end)`: the chunks of its shape
   * in a row from `end` on, their JSON literals left in {@link literals}; returns the index
   * after them (`end` when none).
   */
  run(text: string, start: number, end: number): number {
    const literals = this.literals;
    literals.length = 0;
    if (this.reshapes < 2 && ++this.taken < ROWS_AFTER) return end;
    let shape = this.shape;
    if (shape === undefined) {
      if (this.learned === MAX_STREAM_SHAPES) return end;
      this.learned++;
      shape = openAITextDeltaShape(text, start, end);
      if (shape === undefined) return end;
      this.shape = shape;
    }
    const after = openAITextDeltaLiterals(shape, text, end, literals);
    // None taken, and the chunk just taken is not of the shape either: it changed.
    if (after === end && !isOfShape(shape, text, start, end)) this.shape = undefined;
    return after;
  }
}
