import { flatStringsByKey } from "./flat-string-cache.js";

/**
 * `JSON.stringify` for the plain objects a stream translator builds, with the JSON of long
 * strings cached: the closing events of a streamed Responses item repeat its whole text
 * (`output_text.done`, `content_part.done`, `output_item.done`, then the terminal event's
 * `output` and `output_text`), so the text is escaped once instead of five times. Comparing
 * an equal string (a memory compare) costs a fraction of escaping it again.
 */

/** Strings at least this long have their JSON cached. */
export const LONG_TEXT = 2048;
/** Shorter strings are looked up only once a text was {@link JsonTextCache.remember}ed. */
const REMEMBERED_MIN = 64;
/** Cached texts per stream before the cache starts over (a stream repeats a few texts). */
const MAX_CACHED = 8;
/** Remembered objects per stream before the list starts over (a stream's message items). */
const MAX_OBJECTS = 16;

/**
 * `JSON.stringify(key)` of the keys written before: translators write the same few dozen, and
 * a caller's own keys could be anything, so at most 256 are kept.
 */
const keyJson = flatStringsByKey((key) => JSON.stringify(key), 256);

/** A per-stream writer: {@link JsonTextCache.stringify} equals `JSON.stringify` byte for byte. */
export class JsonTextCache {
  /** Made at the first long text: most streams have none. */
  #literals: Map<string, string> | undefined;
  /**
   * Texts whose JSON was handed in ({@link remember}), with that JSON: text, JSON, text, ….
   * Compared rather than hashed: a hash reads the whole text, and the texts looked up are
   * mostly the very strings handed in (an identity compare).
   */
  readonly #remembered: string[] = [];
  /** Objects whose JSON was handed in ({@link rememberObject}), with it: object, JSON, …. */
  readonly #objects: unknown[] = [];

  /**
   * `JSON.stringify(value)`: plain objects and arrays are walked key by key (the order of
   * `Object.keys`, which is `JSON.stringify`'s), long strings come from the cache, anything
   * else (numbers, short strings, objects with a `toJSON` or another prototype) goes to
   * `JSON.stringify` as it is.
   */
  stringify(value: unknown): string | undefined {
    if (typeof value === "string") {
      if (value.length < REMEMBERED_MIN) return JSON.stringify(value);
      const json = this.recalled(value);
      if (json !== undefined) return json;
      return value.length < LONG_TEXT ? JSON.stringify(value) : this.#long(value);
    }
    if (
      value === null ||
      typeof value !== "object" ||
      typeof (value as { toJSON?: unknown }).toJSON === "function"
    )
      return JSON.stringify(value);
    if (Array.isArray(value)) {
      let out = "[";
      for (let i = 0; i < value.length; i++) {
        // A hole, `undefined`, a function or a symbol is `null` in an array.
        out += `${i === 0 ? "" : ","}${this.member(String(i), value[i]) ?? "null"}`;
      }
      return `${out}]`;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return JSON.stringify(value);
    return this.object(value as Record<string, unknown>);
  }

  /**
   * The JSON of `value` as the member `key` of an object or array: {@link stringify}, except
   * that a value with a `toJSON` is written as `JSON.stringify` writes it there (its `toJSON`
   * is told the key). Undefined when `JSON.stringify` would leave the member out.
   */
  member(key: string, value: unknown): string | undefined {
    if (
      value === null ||
      typeof value !== "object" ||
      typeof (value as { toJSON?: unknown }).toJSON !== "function"
    )
      return this.stringify(value);
    const json = JSON.stringify({ [key]: value });
    return json === "{}" ? undefined : json.slice(keyJson(key).length + 2, -1);
  }

  /**
   * `JSON.stringify` of a plain object key by key: each value's JSON from `valueJson` (by
   * default {@link JsonTextCache.stringify}), `undefined` leaving the key out as
   * `JSON.stringify` does for `undefined`, functions and symbols.
   */
  object(
    record: Record<string, unknown>,
    valueJson: (key: string, value: unknown) => string | undefined = (key, value) =>
      this.member(key, value),
  ): string {
    let out = "";
    for (const key of Object.keys(record)) {
      const text = valueJson(key, record[key]);
      if (text === undefined) continue;
      out += `${out === "" ? "{" : ","}${keyJson(key)}:${text}`;
    }
    return out === "" ? "{}" : `${out}}`;
  }

  /**
   * Takes `json`, which must be exactly `JSON.stringify(text)`, as the JSON of `text` (of any
   * length): a stream translator that copied a text's JSON literal from its upstream, in the
   * form `JSON.stringify` writes, hands it in so the closing events never escape the text.
   */
  remember(text: string, json: string): void {
    if (text.length < REMEMBERED_MIN) return;
    if (this.#remembered.length >= 2 * MAX_CACHED) this.#remembered.length = 0;
    this.#remembered.push(text, json);
  }

  /**
   * Takes `json`, which must be exactly `JSON.stringify(value)`, as the JSON of the object
   * `value` while it is not changed: a translator that wrote an output item from its
   * template hands the item's JSON in, and the terminal event's `output` reuses it.
   */
  rememberObject(value: object, json: string): void {
    if (this.#objects.length >= 2 * MAX_OBJECTS) this.#objects.length = 0;
    this.#objects.push(value, json);
  }

  /** The JSON {@link rememberObject} was handed for this very object, if any. */
  recallObject(value: unknown): string | undefined {
    const known = this.#objects;
    for (let i = 0; i < known.length; i += 2) {
      if (known[i] === value) return known[i + 1] as string;
    }
    return undefined;
  }

  /** True when `text` is long enough to be cached or its JSON was {@link remember}ed. */
  holds(text: string): boolean {
    return (
      text.length >= LONG_TEXT ||
      (text.length >= REMEMBERED_MIN && this.recalled(text) !== undefined)
    );
  }

  /** The JSON of `text` when it was {@link remember}ed (any length), else undefined. */
  recalled(text: string): string | undefined {
    const known = this.#remembered;
    for (let i = 0; i < known.length; i += 2) {
      if (known[i] === text) return known[i + 1];
    }
    return undefined;
  }

  #long(text: string): string {
    let literals = this.#literals;
    if (literals === undefined) {
      literals = new Map();
      this.#literals = literals;
    }
    let literal = literals.get(text);
    if (literal === undefined) {
      literal = JSON.stringify(text);
      if (literals.size >= MAX_CACHED) literals.clear();
      literals.set(text, literal);
    }
    return literal;
  }
}
