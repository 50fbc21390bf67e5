import { isUtf8 } from "node:buffer";
import { scanJsonText } from "@switchyard/openai-compat";
import { ProxyError } from "./proxy-error.js";

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
    const problem = scanJsonText(text, value, maxDepth);
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
