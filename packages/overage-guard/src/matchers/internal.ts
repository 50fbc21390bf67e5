import type { HeaderMap } from "./types.js";

const hasOwn = Object.prototype.hasOwnProperty;
const hasUpperCase = /[A-Z]/;

/** Read a header case-insensitively; arrays are joined with ", ". */
export function getHeader(headers: HeaderMap | undefined, name: string): string | undefined {
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
