import type { HeaderMap } from "./types.js";

const hasOwn = Object.prototype.hasOwnProperty;
const hasUpperCase = /[A-Z]/;

/**
 * True when `headers` is a plain record whose names are all free of ASCII upper case (as Node
 * and undici hand them over): {@link getHeader} may then look a lower-case name up directly.
 * One pass over the names, for all the lookups that follow.
 */
export function hasLowerCaseNamesOnly(headers: HeaderMap | undefined): boolean {
  if (!headers || typeof (headers as { get?: unknown }).get === "function") return false;
  for (const key in headers) {
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c >= 65 && c <= 90) return false;
    }
  }
  return true;
}

/**
 * Read a header case-insensitively; arrays are joined with ", ". `lowerCaseNamesOnly`: the
 * record's names are known to be lower case ({@link hasLowerCaseNamesOnly}), so a name that
 * is not there under its lower-case form is not there at all.
 */
export function getHeader(
  headers: HeaderMap | undefined,
  name: string,
  lowerCaseNamesOnly = false,
): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === "function") {
    const v = (headers as { get(name: string): string | null }).get(name);
    return v ?? undefined;
  }
  const lower = name.toLowerCase();
  const record = headers as Record<string, unknown>;
  // Node and undici hand headers over with lower-cased keys: try that key before scanning
  // (this runs for several names on every response, so no entries array per call).
  const direct = hasOwn.call(record, lower) ? record[lower] : undefined;
  if (direct !== undefined) return Array.isArray(direct) ? direct.join(", ") : String(direct);
  if (lowerCaseNamesOnly) return undefined;
  for (const key in record) {
    // Only a key with an upper-case letter can differ from `lower` by case alone: the common
    // all-lower-case keys are skipped without lower-casing (and allocating) each of them.
    if (!hasUpperCase.test(key) || !hasOwn.call(record, key) || key.toLowerCase() !== lower) {
      continue;
    }
    const value = record[key];
    if (value === undefined) continue;
    return Array.isArray(value) ? value.join(", ") : String(value);
  }
  return undefined;
}

/** The `error` object of an OpenAI- or Anthropic-style error body, if any. */
export function errorObject(body: unknown): Record<string, unknown> | undefined {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object" || value === null) return undefined;
  const error = (value as Record<string, unknown>).error;
  return typeof error === "object" && error !== null
    ? (error as Record<string, unknown>)
    : undefined;
}

/** A short identifier-like token (safe to echo), else undefined. */
export function token(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (typeof value !== "string" || !/^[A-Za-z0-9_.:-]{1,32}$/.test(value)) return undefined;
  // Short enough for a label, but never something shaped like a key (`sk-…`, `gsk_…`).
  return KEY_PREFIX.test(value) ? undefined : value;
}

/** Prefixes API keys of the common providers start with. */
const KEY_PREFIX = /^(?:sk|gsk|xai|pk|rk|key|api|tok|token|bearer)[-_]/i;
