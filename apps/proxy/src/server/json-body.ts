import { isUtf8 } from "node:buffer";
import { ProxyError } from "./proxy-error.js";

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
/** Up to this many keys an object's keys are compared in a list; beyond, in a Set. */
const LIST_KEYS = 8;

/**
 * Decodes a request body as UTF-8, refusing malformed sequences (RFC 8259 §8.1: JSON text
 * exchanged between systems MUST be UTF-8) instead of forwarding U+FFFD in their place.
 * `isUtf8` (simdutf) + `toString` measured ~1.4x faster than `TextDecoder({ fatal: true })`
 * on a 110 KB non-ASCII body and is equally strict.
 */
export function decodeUtf8Body(raw: Buffer): string {
  if (!isUtf8(raw)) throw new ProxyError("invalid_json", "request body is not valid UTF-8");
  return raw.toString("utf8");
}

/** What {@link scanJsonText} found wrong. */
export interface JsonTextProblem {
  kind: "duplicate_key" | "too_deep";
  /** The top-level member it is in (`tools`), or the duplicate key itself at the top. */
  param: string;
  /** The duplicated key (`duplicate_key` only). */
  key?: string;
}

/**
 * One pass over JSON text that `JSON.parse` already accepted: finds a key repeated in one
 * object (JSON.parse keeps the last, other parsers the first, so the body routed would not
 * be the body an upstream reads) and nesting deeper than `maxDepth`. Iterative; the bulk
 * of a body (string contents) is skipped with `indexOf`.
 */
export function scanJsonText(text: string, maxDepth: number): JsonTextProblem | undefined {
  // Per open container: its keys so far (undefined for an array).
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
      if (open.length >= maxDepth) return { kind: "too_deep", param: topKey || "body" };
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

/** A client-chosen key as an error may show it: never more than 64 characters of it. */
const shown = (key: string) => (key.length > 64 ? `${key.slice(0, 64)}…` : key);

/**
 * Reads a request's JSON text: UTF-8 checked, parsed, then scanned for duplicate keys and
 * nesting deeper than `maxDepth`. Throws a `ProxyError` (400) naming the member at fault.
 */
export function parseJsonBody(raw: Buffer, maxDepth: number): { text: string; value: unknown } {
  const text = decodeUtf8Body(raw);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProxyError("invalid_json", "request body is not valid JSON");
  }
  if (typeof value === "object" && value !== null) {
    const problem = scanJsonText(text, maxDepth);
    if (problem !== undefined) {
      const param = shown(problem.param);
      const message =
        problem.kind === "duplicate_key"
          ? `${param}: the key "${shown(problem.key ?? "")}" appears twice in one object`
          : `${param}: nests deeper than ${maxDepth} levels`;
      throw new ProxyError(
        problem.kind === "duplicate_key" ? "invalid_json" : "bad_request",
        message,
        {
          param,
        },
      );
    }
  }
  return { text, value };
}
