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

const credentialLike = /(^|-)(key|token|auth|authorization|secret|cookie|session)(-|$)|api-?key/;
/** Verdicts per header name: clients send the same few names on every request. */
const verdicts = new Map<string, boolean>();

/** True for a header name that looks like it carries a credential (`*-key`, `*token*`, `*auth*`). */
function isCredentialLike(name: string): boolean {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    verdict = credentialLike.test(name);
    // Bounded: a client inventing names cannot grow it without limit.
    if (verdicts.size < 1024) verdicts.set(name, verdict);
  }
  return verdict;
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
