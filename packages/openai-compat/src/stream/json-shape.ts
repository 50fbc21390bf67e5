/**
 * Shape checks for the serialisers that write JSON from templates (Anthropic events, Responses
 * events): a template may write a value only when `JSON.stringify` would write exactly its keys,
 * in that order, and nothing else.
 */

/**
 * An object `JSON.stringify` writes key by key: not an array, no `toJSON`, and a plain
 * prototype (`Object.prototype`, or none).
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function"
  );
}

/**
 * True when `value`'s enumerable keys are exactly `keys`, in that order. `for…in` also lists
 * inherited enumerable keys: any such key is a mismatch, as it should be.
 */
export function hasKeys(value: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in value) if (key !== keys[i++]) return false;
  return i === keys.length;
}
