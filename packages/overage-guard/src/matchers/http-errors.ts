import { errorObject, getHeader, token } from "./internal.js";
import type { SignalMatch, UpstreamResponse } from "./types.js";

/**
 * HTTP 402 Payment Required, whatever the body (OpenRouter sends
 * `{"error":{"code":402,"message":"Insufficient credits…"}}` with `metadata.limit_source`).
 */
export function matchPaymentRequired(response: UpstreamResponse): SignalMatch | undefined {
  if (response.status !== 402) return undefined;
  const error = errorObject(response.body);
  const metadata = error?.metadata as Record<string, unknown> | undefined;
  const source = token(metadata?.limit_source);
  return {
    kind: "payment-required",
    detail: `upstream answered 402 Payment Required${source ? ` (${source})` : ""}`,
  };
}

/**
 * OpenAI's out-of-quota error: status 429 and `error.code` or `error.type` equal to
 * `insufficient_quota` (older responses set only `type`). A plain rate-limit 429 does not match.
 */
export function matchInsufficientQuota(response: UpstreamResponse): SignalMatch | undefined {
  if (response.status !== 429) return undefined;
  const error = errorObject(response.body);
  if (error?.code !== "insufficient_quota" && error?.type !== "insufficient_quota") {
    return undefined;
  }
  return { kind: "insufficient-quota", detail: "upstream answered 429 insufficient_quota" };
}

/**
 * Anthropic's prepaid-credit errors: status 400 whose `error.message` says the credit balance
 * is too low, or status 429 carrying `anthropic-ratelimit-unified-overage-disabled-reason:
 * out_of_credits` with `anthropic-ratelimit-unified-status: rejected` (or no status header).
 */
export function matchCreditsExhausted(response: UpstreamResponse): SignalMatch | undefined {
  if (response.status === 400) {
    const message = errorObject(response.body)?.message;
    if (typeof message === "string" && /credit balance is too low/i.test(message)) {
      return { kind: "credits-exhausted", detail: "upstream says the credit balance is too low" };
    }
    return undefined;
  }
  if (response.status !== 429) return undefined;
  const reason = getHeader(response.headers, "anthropic-ratelimit-unified-overage-disabled-reason");
  const status = getHeader(response.headers, "anthropic-ratelimit-unified-status");
  if (reason?.trim() !== "out_of_credits") return undefined;
  if (status !== undefined && status.trim() !== "rejected") return undefined;
  return { kind: "credits-exhausted", detail: "upstream answered 429 out_of_credits" };
}
