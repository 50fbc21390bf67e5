import { SwitchyardMcpError } from "../mcp-error.js";

/** A plain JSON object, or `undefined`. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The object, or a `bad_response` error naming the endpoint. */
export function requireObject(value: unknown, endpoint: string): Record<string, unknown> {
  const obj = asObject(value);
  if (!obj) {
    throw new SwitchyardMcpError(
      "bad_response",
      `the switchyard proxy answered ${endpoint} with an unexpected shape`,
    );
  }
  return obj;
}

/** An array, or empty. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string, or `undefined`. */
export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A finite number, or `undefined`. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Copies only the defined entries (so optional output fields are omitted, not `undefined`). */
export function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** A URL with credentials and secret-looking query values removed; non-URLs pass through. */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    url.username = "";
    url.password = "";
    for (const name of [...url.searchParams.keys()]) {
      if (/key|token|secret|sig|auth|pass/i.test(name)) url.searchParams.set(name, "[redacted]");
    }
    return url.toString().replace(/\/$/, value.endsWith("/") ? "/" : "");
  } catch {
    return value;
  }
}

/** `3723000` → `"1h 2m"`. */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** `0.08215` → `"$0.0822"`; amounts of a dollar or more get cents. */
export function formatUsd(usd: number): string {
  return usd >= 1 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(3).replace(/0+$/, "")}`;
}
