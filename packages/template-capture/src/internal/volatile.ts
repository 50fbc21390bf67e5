/**
 * What changes between two runs of the same tool doing the same thing: ids, session ids,
 * device ids, timestamps. Normalising them lets two captures compare equal (template diff,
 * normalized replay matching) when only these differ.
 */

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const longHex = /\b[0-9a-f]{24,}\b/gi;
const isoTime = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;
/** Provider ids: msg_…, toolu_…, call_…, chatcmpl-…, req_…, resp_… */
const providerId = /\b(?:msg|toolu|call|chatcmpl|req|resp|fc|rs|srvtoolu)[_-][A-Za-z0-9]{12,}\b/g;

/**
 * Replaces ids and timestamps in a string with fixed markers. A string that holds a JSON
 * object (Codex sends its turn metadata as JSON inside a header and a body field) is
 * normalised as JSON, so its volatile keys count too.
 */
export function normalizeVolatileText(text: string): string {
  if (text.startsWith("{") && text.endsWith("}")) {
    try {
      return JSON.stringify(normalizeVolatile(JSON.parse(text)));
    } catch {}
  }
  return text
    .replace(uuid, "<uuid>")
    .replace(providerId, (m) => `${m.slice(0, m.search(/[_-]/) + 1)}<id>`)
    .replace(longHex, "<hex>")
    .replace(isoTime, "<time>");
}

/** Object keys whose values are volatile wherever they appear. */
export const VOLATILE_KEYS: ReadonlySet<string> = new Set([
  "user_id",
  "session_id",
  "request_id",
  "device_id",
  "created",
  "created_at",
  "timestamp",
]);

/** Keys named for a moment (`created_at`, `turn_started_at_unix_ms`, `expires_at_ms`). */
const timeKey = /(?:^|_)(?:at|timestamp)(?:_unix)?(?:_ms|_s)?$/;

/** True when a value under `key` changes from run to run. */
const isVolatileKey = (key: string, volatileKeys: ReadonlySet<string>) =>
  volatileKeys.has(key) || timeKey.test(key);

/** A deep copy of a JSON value with volatile keys and id-shaped strings normalised. */
export function normalizeVolatile(value: unknown, volatileKeys = VOLATILE_KEYS): unknown {
  if (typeof value === "string") return normalizeVolatileText(value);
  if (Array.isArray(value)) return value.map((v) => normalizeVolatile(v, volatileKeys));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = isVolatileKey(key, volatileKeys)
        ? "<volatile>"
        : normalizeVolatile(v, volatileKeys);
    }
    return out;
  }
  return value;
}

/** Request headers that say nothing about the tool's template (transport, counters, timing). */
export const VOLATILE_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "accept-encoding",
  "keep-alive",
  "date",
  "x-stainless-retry-count",
  "x-stainless-timeout",
  "x-request-id",
  "traceparent",
]);
