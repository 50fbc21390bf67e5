/** A string that needs no escaping in JSON (no quote, backslash, control or surrogate unit). */
const plainJsonString = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
/** The longest text `jsonString` tests with {@link plainJsonString} (and a field keeps). */
const PLAIN_MAX = 512;

/**
 * `JSON.stringify(text)` for a string: a short plain one is quoted as it is (the regex test
 * is cheaper than the generic serializer), anything else goes through `JSON.stringify`.
 */
export function jsonString(text: string): string {
  return text.length <= PLAIN_MAX && plainJsonString.test(text)
    ? `"${text}"`
    : JSON.stringify(text);
}

/**
 * `jsonString` for one field of a line written per request whose value is most often the one
 * it had the last time (a route, a backend, a model, a target): the last text and its JSON are
 * kept, so a repeat costs one string comparison instead of the escape test and a new string
 * (callgrind: about 540 instructions a field). Same output as `jsonString`.
 */
export class JsonStringField {
  #text = "";
  #json = '""';

  /** `jsonString(text)`. */
  quote(text: string): string {
    if (text === this.#text) return this.#json;
    const json = jsonString(text);
    if (text.length <= PLAIN_MAX) {
      this.#text = text;
      this.#json = json;
    }
    return json;
  }
}

/**
 * `JSON.stringify(n)` for a number: `null` for NaN and ±Infinity.
 *
 * A positive value with at most two decimals (the request log's latencies, rounded to
 * 0.01 ms) is written from its integer hundredths: V8 formats a fractional double through
 * its shortest-round-trip algorithm (~150–350 ns), an integer from a cache (~10 ns). Same
 * bytes: when `k / 100 === n` for an integer `k` below 1e11, `n` is the double nearest the
 * decimal `k / 100`, whose ≤ 13 significant digits round-trip to `n`, and every other decimal
 * that does needs more digits (it lies within one ulp of `n`, far below 0.01).
 */
export function jsonNumber(n: number): string {
  if (n > 0 && n < 1e9 && !Number.isInteger(n)) {
    const hundredths = Math.round(n * 100);
    if (hundredths / 100 === n) {
      const fraction = hundredths % 100;
      const whole = (hundredths - fraction) / 100;
      if (fraction % 10 === 0) return `${whole}.${fraction / 10}`;
      return fraction < 10 ? `${whole}.0${fraction}` : `${whole}.${fraction}`;
    }
  }
  return Number.isFinite(n) ? `${n}` : "null";
}
