import { getHeader, hasLowerCaseNamesOnly } from "./internal.js";
import type { HeaderMap, SignalMatch } from "./types.js";

/** Header names read by {@link matchOverageHeaders} (Anthropic "unified" rate-limit headers). */
export const OVERAGE_HEADERS = {
  status: "anthropic-ratelimit-unified-status",
  overageStatus: "anthropic-ratelimit-unified-overage-status",
  overageInUse: "anthropic-ratelimit-unified-overage-in-use",
  claim: "anthropic-ratelimit-unified-representative-claim",
} as const;

const OVERAGE_ALLOWED = new Set(["allowed", "allowed_warning"]);

/**
 * Did this (successful) response bill overage? Matches exactly two cases, the same rule the
 * Claude Code CLI uses for `isUsingOverage`:
 * 1. `anthropic-ratelimit-unified-status: rejected` (the included allowance is used up) AND
 *    `anthropic-ratelimit-unified-overage-status: allowed` or `allowed_warning` (so the request
 *    was served from paid overage);
 * 2. `anthropic-ratelimit-unified-overage-in-use: true`.
 * Nothing else matches: `overage-status: rejected` or an `overage-disabled-reason` on an
 * allowed response only describe the account and are ignored, and so are non-2xx responses.
 */
export function matchOverageHeaders(
  headers: HeaderMap | undefined,
  status = 200,
): SignalMatch | undefined {
  if (status < 200 || status >= 300) return undefined;
  // This runs for every response, and the headers are usually absent: one pass over the names
  // instead of a case-insensitive search through all of them for each absent one.
  const exact = hasLowerCaseNamesOnly(headers);
  const inUse = getHeader(headers, OVERAGE_HEADERS.overageInUse, exact)?.trim().toLowerCase();
  const unified = getHeader(headers, OVERAGE_HEADERS.status, exact)?.trim().toLowerCase();
  const overage = getHeader(headers, OVERAGE_HEADERS.overageStatus, exact)?.trim().toLowerCase();
  const served = unified === "rejected" && overage !== undefined && OVERAGE_ALLOWED.has(overage);
  if (inUse !== "true" && !served) return undefined;
  const claim = getHeader(headers, OVERAGE_HEADERS.claim, exact)?.trim();
  const safeClaim = claim && /^[a-z0-9_]{1,40}$/.test(claim) ? ` (claim ${claim})` : "";
  return { kind: "overage-billed", detail: `upstream billed this request as overage${safeClaim}` };
}
