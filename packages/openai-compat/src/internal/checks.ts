import { TranslationError } from "../errors.js";

/**
 * Small composable checks for request validation. A check throws a 400 `TranslationError`
 * naming the field (`param`) or returns. They are built once at module load and only read
 * values: nothing is copied, defaulted or coerced. `undefined` means "absent" to the table
 * helpers; `null` is a value the API either documents (`nullable`) or refuses.
 */
export type Check = (value: unknown, param: string) => void;

/** The longest string any `type` discriminator of either API has; longer is never valid. */
const MAX_TYPE_LENGTH = 128;

/** Throws the validation error for `param`; the message names the field first. */
export function invalid(param: string, message: string): never {
  throw new TranslationError({ code: "invalid_request", message: `${param}: ${message}`, param });
}

/** True for a plain (non-array, non-null) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Describes a value for an error message without echoing it (it may be huge). */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

/** A string, optionally bounded in length and matched by a pattern. */
export function string(options: { min?: number; max?: number; pattern?: RegExp } = {}): Check {
  const { min = 0, max = Number.POSITIVE_INFINITY, pattern } = options;
  return (value, param) => {
    if (typeof value !== "string") invalid(param, `expected a string, got ${kindOf(value)}`);
    if (value.length < min)
      invalid(param, min === 1 ? "must not be empty" : `must have at least ${min} characters`);
    if (value.length > max) invalid(param, `must have at most ${max} characters`);
    if (pattern !== undefined && !pattern.test(value))
      invalid(param, `must match ${pattern.source}`);
  };
}

/** A finite number in [min, max]. */
export function number(min: number, max: number): Check {
  return (value, param) => {
    if (typeof value !== "number") invalid(param, `expected a number, got ${kindOf(value)}`);
    // JSON has no Infinity, but 1e400 parses as one.
    if (!Number.isFinite(value) || value < min || value > max)
      invalid(param, `must be between ${min} and ${max}`);
  };
}

/** An integer in [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Check {
  return (value, param) => {
    if (typeof value !== "number" || !Number.isInteger(value))
      invalid(param, `expected an integer, got ${kindOf(value)}`);
    if (value < min) invalid(param, `must be at least ${min}`);
    if (value > max) invalid(param, `must be at most ${max}`);
  };
}

/** `true` or `false`. */
export const boolean: Check = (value, param) => {
  if (typeof value !== "boolean") invalid(param, `expected a boolean, got ${kindOf(value)}`);
};

/** Any JSON object (its members are not looked at). */
export const record: Check = (value, param) => {
  if (!isRecord(value)) invalid(param, `expected an object, got ${kindOf(value)}`);
};

/** One of the listed strings. */
export function oneOf(...values: string[]): Check {
  const allowed = new Set(values);
  const list = values.map((v) => `"${v}"`).join(", ");
  return (value, param) => {
    if (typeof value !== "string" || !allowed.has(value)) invalid(param, `expected one of ${list}`);
  };
}

/** The check, or `null`. */
export function nullable(check: Check): Check {
  return (value, param) => {
    if (value !== null) check(value, param);
  };
}

/** The first check whose type guard accepts the value; otherwise the message. */
export function either(
  branches: Array<[guard: (value: unknown) => boolean, check: Check]>,
  expected: string,
): Check {
  return (value, param) => {
    for (const [guard, check] of branches) {
      if (guard(value)) {
        check(value, param);
        return;
      }
    }
    invalid(param, `expected ${expected}, got ${kindOf(value)}`);
  };
}

/** An array whose items all pass `item` (named `param[i]`). */
export function arrayOf(item: Check, options: { min?: number; max?: number } = {}): Check {
  const { min = 0, max = Number.POSITIVE_INFINITY } = options;
  return (value, param) => {
    if (!Array.isArray(value)) invalid(param, `expected an array, got ${kindOf(value)}`);
    if (value.length < min)
      invalid(param, min === 1 ? "must not be empty" : `must have at least ${min} items`);
    if (value.length > max) invalid(param, `must have at most ${max} items`);
    for (let i = 0; i < value.length; i++) item(value[i], `${param}[${i}]`);
  };
}

/** Checks of an object's known members; members not listed pass untouched. */
export type Fields = ReadonlyMap<string, Check>;

/** Builds a {@link Fields} table (a Map: a member named `__proto__` must not find a check). */
export function fields(table: Record<string, Check>): Fields {
  return new Map(Object.entries(table));
}

/** Runs the table's check on every member present (not `undefined`), named `prefix.key`. */
export function checkFields(value: Record<string, unknown>, table: Fields, prefix: string): void {
  for (const key in value) {
    const check = table.get(key);
    const member = value[key];
    if (check !== undefined && member !== undefined)
      check(member, prefix === "" ? key : `${prefix}.${key}`);
  }
}

/** Throws when one of `keys` is absent (`undefined`). */
export function required(value: Record<string, unknown>, keys: string[], prefix: string): void {
  for (const key of keys) {
    if (value[key] === undefined) invalid(prefix === "" ? key : `${prefix}.${key}`, "is required");
  }
}

/** An object checked by a table, with required members. */
export function object(table: Record<string, Check>, requiredKeys: string[] = []): Check {
  const known = fields(table);
  return (value, param) => {
    if (!isRecord(value)) invalid(param, `expected an object, got ${kindOf(value)}`);
    required(value, requiredKeys, param);
    checkFields(value, known, param);
  };
}

/**
 * An object whose `type` (or another `key`) picks the check it gets. An unknown tag passes
 * (the upstream may know it; a translator refuses what it cannot express) unless `closed`.
 */
export function tagged(
  variants: Record<string, Check>,
  options: { key?: string; closed?: boolean } = {},
): Check {
  const { key = "type", closed = false } = options;
  const byTag = new Map(Object.entries(variants));
  const list = [...byTag.keys()].map((v) => `"${v}"`).join(", ");
  return (value, param) => {
    if (!isRecord(value)) invalid(param, `expected an object, got ${kindOf(value)}`);
    const tag = value[key];
    if (typeof tag !== "string")
      invalid(`${param}.${key}`, `expected a string, got ${kindOf(tag)}`);
    const check = byTag.get(tag);
    if (check !== undefined) check(value, param);
    else if (closed || tag.length > MAX_TYPE_LENGTH)
      invalid(`${param}.${key}`, `expected one of ${list}`);
  };
}

/**
 * Throws when `value` nests deeper than `maxDepth` objects/arrays. Iterative (an explicit
 * stack), so a hostile 100 000-level value cannot overflow the call stack.
 */
export function checkDepth(value: unknown, maxDepth: number, param: string): void {
  if (typeof value !== "object" || value === null) return;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > maxDepth) invalid(param, `nests deeper than ${maxDepth} levels`);
    const children = Array.isArray(node) ? node : Object.values(node as object);
    for (const child of children) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
}
