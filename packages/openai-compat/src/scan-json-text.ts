const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
/** Up to this many keys an object's keys are compared in a list; beyond, in a Set. */
const LIST_KEYS = 8;

/** What {@link scanJsonText} found wrong. */
export interface JsonTextProblem {
  kind: "duplicate_key" | "too_deep";
  /** The top-level member it is in (`tools`), or the duplicate key itself at the top. */
  param: string;
  /** The duplicated key (`duplicate_key` only). */
  key?: string;
}

/**
 * Checks JSON text that `JSON.parse` already turned into `value`: finds a key repeated in one
 * object (JSON.parse keeps the last, other parsers the first, so the body routed would not
 * be the body an upstream reads) and nesting deeper than `maxDepth`. One pass over the text
 * counts keys and depth (string contents skipped with `indexOf`, nothing allocated per key);
 * the parsed value's keys are counted too: fewer there means a duplicate, which an exact scan
 * then names. Iterative throughout.
 *
 * @example
 * const text = '{"model":"claude-x","model":"gpt-x"}';
 * scanJsonText(text, JSON.parse(text), REQUEST_LIMITS.maxJsonDepth);
 * // { kind: "duplicate_key", param: "model", key: "model" }
 */
export function scanJsonText(
  text: string,
  value: unknown,
  maxDepth: number,
): JsonTextProblem | undefined {
  let depth = 0;
  let keys = 0;
  let topStart = -1;
  let topEnd = -1;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      let next = end + 1;
      while (next < n && text.charCodeAt(next) <= 32) next++;
      if (text.charCodeAt(next) === COLON) {
        keys++;
        if (depth === 1) {
          topStart = i + 1;
          topEnd = end;
        }
      }
      i = next;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) {
        return { kind: "too_deep", param: topStart < 0 ? "body" : text.slice(topStart, topEnd) };
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    i++;
  }
  return keys === countKeys(value) ? undefined : findDuplicateKey(text);
}

/** Keys of every object in a parsed JSON value (an explicit stack: no recursion). */
function countKeys(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child = node[i];
        if (typeof child === "object" && child !== null) stack.push(child);
      }
    } else if (typeof node === "object" && node !== null) {
      for (const key in node) {
        count++;
        const child = (node as Record<string, unknown>)[key];
        if (typeof child === "object" && child !== null) stack.push(child);
      }
    }
  }
  return count;
}

/** The first key repeated in one object (keys compared decoded), found by an exact scan. */
function findDuplicateKey(text: string): JsonTextProblem | undefined {
  const open: Array<string[] | Set<string> | undefined> = [];
  let topKey = "";
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      let next = end + 1;
      while (next < n && text.charCodeAt(next) <= 32) next++;
      if (text.charCodeAt(next) === COLON) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        const depth = open.length;
        if (depth === 1) topKey = key;
        const keys = open[depth - 1];
        if (keys !== undefined && remember(open, depth - 1, keys, key)) {
          return { kind: "duplicate_key", param: depth === 1 ? key : topKey, key };
        }
      }
      i = next;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      open.push(c === OPEN_BRACE ? [] : undefined);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.pop();
    }
    i++;
  }
  return undefined;
}

/** Index of the quote that closes the string opening at `start`. */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    for (let k = end - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length; // unreachable for text JSON.parse accepted
}

/** Adds `key` to an object's keys; true when it was already there. */
function remember(
  open: Array<string[] | Set<string> | undefined>,
  at: number,
  keys: string[] | Set<string>,
  key: string,
): boolean {
  if (Array.isArray(keys)) {
    if (keys.includes(key)) return true;
    if (keys.length < LIST_KEYS) keys.push(key);
    else open[at] = new Set([...keys, key]);
    return false;
  }
  if (keys.has(key)) return true;
  keys.add(key);
  return false;
}
