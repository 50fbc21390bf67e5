import {
  matchCreditsExhausted,
  matchInsufficientQuota,
  matchPaymentRequired,
} from "./http-errors.js";
import { matchOverageHeaders } from "./overage-headers.js";
import type { SignalMatch, UpstreamResponse } from "./types.js";

/** Run every HTTP matcher over one upstream response; the first match wins. */
export function matchUpstreamResponse(response: UpstreamResponse): SignalMatch | undefined {
  return (
    matchPaymentRequired(response) ??
    matchInsufficientQuota(response) ??
    matchCreditsExhausted(response) ??
    matchOverageHeaders(response.headers, response.status)
  );
}
