/** What kind of upstream billing signal tripped the guard. */
export type SignalKind =
  /** HTTP 402 from the upstream (e.g. OpenRouter "Insufficient credits"). */
  | "payment-required"
  /** OpenAI 429 with error code/type `insufficient_quota`. */
  | "insufficient-quota"
  /** Prepaid credits are gone (Anthropic "credit balance is too low", `out_of_credits`, Claude Code "out of extra usage"). */
  | "credits-exhausted"
  /** The response says it was served from overage (paid extra usage) rather than the included allowance. */
  | "overage-billed"
  /** A subscription usage limit was hit (Claude Code "You've hit your limit"). */
  | "usage-limit";

/** A recognised signal. `detail` is built from fixed text and short tokens only, never raw bodies. */
export interface SignalMatch {
  kind: SignalKind;
  detail: string;
}

/** A header collection: a Fetch `Headers`, or a plain map such as Node's `IncomingHttpHeaders`. */
export type HeaderMap =
  | { get(name: string): string | null }
  | Record<string, string | string[] | number | undefined>;

/** An upstream HTTP response as the matchers see it. `body` is parsed JSON or its text. */
export interface UpstreamResponse {
  status: number;
  headers?: HeaderMap;
  body?: unknown;
}
