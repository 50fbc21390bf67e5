import type { IncomingHttpHeaders } from "node:http";

/** Headers that carry a client credential or belong to this hop only; never passed on. */
const dropped = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "x-goog-api-key",
  "cookie",
  "set-cookie",
  "host",
  "connection",
  "keep-alive",
  "content-length",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "expect",
]);

/** True for a header name that looks like it carries a credential (`*-key`, `*token*`, `*auth*`). */
function isCredentialLike(name: string): boolean {
  return /(^|-)(key|token|auth|authorization|secret|cookie|session)(-|$)|api-?key/.test(name);
}

/** The client's headers (lower-case, single values) minus every credential and hop header. */
export function sanitizeClientHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (dropped.has(name) || isCredentialLike(name)) continue;
    const value = headers[name];
    if (typeof value === "string") out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(", ");
  }
  return out;
}
