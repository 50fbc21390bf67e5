/** A string that needs no escaping in JSON (no quote, backslash, control or surrogate unit). */
const plainJsonString = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * `JSON.stringify(text)` for a string: a short plain one is quoted as it is (the regex test
 * is cheaper than the generic serializer), anything else goes through `JSON.stringify`.
 */
export function jsonString(text: string): string {
  return text.length <= 512 && plainJsonString.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** `JSON.stringify(n)` for a number: `null` for NaN and ±Infinity. */
export function jsonNumber(n: number): string {
  return Number.isFinite(n) ? `${n}` : "null";
}
