import type { HeaderReader } from "./parsers/types.js";

/** Reads status and headers from whatever the `run` callback returns. */
export interface ResponseAccessor<R = unknown> {
  /** The HTTP status code. */
  status(response: R): number;
  /** A header reader for the response (names are asked for in lower case). */
  headers(response: R): HeaderReader;
}

type HeaderRecord = Record<string, string | string[] | number | undefined>;

/**
 * Default accessor: Fetch `Response` (`status`, `headers.get`) and undici `request()` results
 * or Node `IncomingMessage` (`statusCode`, plain header object).
 */
export const defaultResponseAccessor: ResponseAccessor = {
  status(response) {
    const r = response as { status?: unknown; statusCode?: unknown } | null;
    const status = typeof r?.status === "number" ? r.status : r?.statusCode;
    return typeof status === "number" ? status : Number.NaN;
  },
  headers(response) {
    const headers = (response as { headers?: unknown } | null)?.headers;
    if (!headers || typeof headers !== "object") return () => undefined;
    const get = (headers as { get?: unknown }).get;
    if (typeof get === "function") {
      return (name) => (get.call(headers, name) as string | null) ?? undefined;
    }
    let record = headers as HeaderRecord;
    if (hasUpperCaseKey(record)) {
      record = {};
      for (const [key, value] of Object.entries(headers as HeaderRecord)) {
        record[key.toLowerCase()] = value;
      }
    }
    return (name) => {
      const value = record[name];
      if (value === undefined) return undefined;
      return Array.isArray(value) ? value.join(", ") : String(value);
    };
  },
};

/**
 * Default `discard`: releases a failed attempt's body so its connection is not leaked —
 * `body.cancel()` for Web streams, `body.dump()` for undici, `body.destroy()` for Node streams.
 */
export function discardResponse(response: unknown): void {
  const body = (response as { body?: unknown } | null)?.body as
    | { cancel?: () => Promise<void>; dump?: () => Promise<void>; destroy?: () => void }
    | null
    | undefined;
  if (!body || typeof body !== "object") return;
  try {
    if (typeof body.cancel === "function") body.cancel().catch(() => {});
    else if (typeof body.dump === "function") body.dump().catch(() => {});
    else if (typeof body.destroy === "function") body.destroy();
  } catch {
    // A body that is already locked or closed has nothing left to release.
  }
}

/** True when any key has an upper-case ASCII letter (undici and Node lower-case theirs). */
function hasUpperCaseKey(record: HeaderRecord): boolean {
  for (const key in record) {
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c >= 65 && c <= 90) return true;
    }
  }
  return false;
}
