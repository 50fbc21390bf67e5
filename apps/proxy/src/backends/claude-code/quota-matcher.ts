import { matchClaudeCodeUsageText } from "@switchyard/overage-guard";
import type { ClaudeCliEvent } from "./cli-events.js";

/**
 * What a Claude Code run said about the subscription's quota:
 * - `exhausted`: a usage limit or the paid extra usage ran out; runs fail until it resets.
 * - `warning`: still allowed, but a window is nearly used up (or extra usage is now billing).
 * - `rate-limited`: a transient 429 the CLI is retrying; not a quota verdict.
 * - `ok`: the CLI reported headroom.
 */
export type ClaudeQuotaSignalKind = "exhausted" | "warning" | "rate-limited" | "ok";

/** One recognised quota signal, built from fixed text and short tokens (never a raw body). */
export interface ClaudeQuotaSignal {
  kind: ClaudeQuotaSignalKind;
  /** A short, safe description (e.g. `claude: usage limit reached (resets 3pm UTC)`). */
  detail: string;
  /** Which window the signal is about, when the CLI said (`five_hour`, `seven_day`, `overage`, …). */
  window?: string;
  /** When the limit resets (ISO 8601), when the CLI gave a machine-readable time. */
  resetsAt?: string;
  /** Fraction of the window used (0..1), when reported. */
  utilization?: number;
  /** True when the overage guard should hear about it (paid extra usage used or exhausted). */
  overage?: boolean;
  /** What the signal was read from. */
  source?: "run" | "rate-limit-event" | "message";
}

const LEGACY_EPOCH = /Claude AI usage limit reached\|(\d{9,11})/;
const WARNING_PREFIXES = [/^You've used \d{1,3}% of your/, /^You're close to your/];
const OVERAGE_NOTICE = /^(?:You're now using|Now using) (?:extra usage|usage credits|credits)/;

function normalise(line: string): string {
  return line.trim().replace(/[\u2018\u2019]/g, "'");
}

/** Unix seconds or milliseconds → ISO 8601, or undefined when not a plausible time. */
export function toIsoTime(value: unknown): string | undefined {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) return undefined;
  const ms = n < 1e11 ? n * 1000 : n;
  return new Date(ms).toISOString();
}

/**
 * Recognises the CLI's limit and exhaustion text ("You're out of extra usage", "You've hit
 * your session limit · resets 3pm", legacy "Claude AI usage limit reached|<epoch>") and its
 * near-limit warnings. Whole-line prefixes only, so an answer that mentions limits does not match.
 *
 * @example
 * matchClaudeQuotaText("You're out of extra usage · resets Dec 1")?.kind; // "exhausted"
 */
export function matchClaudeQuotaText(text: string): ClaudeQuotaSignal | undefined {
  const match = matchClaudeCodeUsageText(text);
  if (match !== undefined) {
    const legacy = LEGACY_EPOCH.exec(text);
    const resetsAt = legacy?.[1] === undefined ? undefined : toIsoTime(legacy[1]);
    return {
      kind: "exhausted",
      source: "message",
      detail: match.detail,
      ...(match.kind === "credits-exhausted" ? { window: "overage", overage: true } : {}),
      ...(resetsAt === undefined ? {} : { resetsAt }),
    };
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = normalise(raw);
    if (OVERAGE_NOTICE.test(line)) {
      return {
        kind: "warning",
        source: "message",
        detail: "claude: now using paid extra usage",
        window: "overage",
        overage: true,
      };
    }
    if (WARNING_PREFIXES.some((p) => p.test(line))) {
      const pct = /(\d{1,3})%/.exec(line);
      return {
        kind: "warning",
        source: "message",
        detail: "claude: usage limit nearly reached",
        ...(pct?.[1] === undefined ? {} : { utilization: Number(pct[1]) / 100 }),
      };
    }
  }
  return undefined;
}

/** True when `text` says the subscription's usage (or paid extra usage) is exhausted. */
export function isClaudeQuotaExhaustedMessage(text: string): boolean {
  return matchClaudeQuotaText(text)?.kind === "exhausted";
}

interface RateLimitInfo {
  status?: unknown;
  resetsAt?: unknown;
  rateLimitType?: unknown;
  utilization?: unknown;
  overageStatus?: unknown;
  isUsingOverage?: unknown;
}

function fromRateLimitInfo(info: RateLimitInfo): ClaudeQuotaSignal | undefined {
  const window = typeof info.rateLimitType === "string" ? info.rateLimitType : undefined;
  const resetsAt = toIsoTime(info.resetsAt);
  const utilization =
    typeof info.utilization === "number" && Number.isFinite(info.utilization)
      ? info.utilization
      : undefined;
  const extra = {
    source: "rate-limit-event" as const,
    ...(window === undefined ? {} : { window }),
    ...(resetsAt === undefined ? {} : { resetsAt }),
    ...(utilization === undefined ? {} : { utilization }),
    ...(info.isUsingOverage === true ? { overage: true } : {}),
  };
  const when = resetsAt === undefined ? "" : ` (resets ${resetsAt})`;
  switch (info.status) {
    case "rejected":
      return {
        kind: "exhausted",
        detail: `claude: ${window ?? "usage"} limit reached${when}`,
        ...extra,
      };
    case "allowed_warning":
      return {
        kind: "warning",
        detail: `claude: ${window ?? "usage"} limit nearly reached${when}`,
        ...extra,
      };
    case "allowed":
      return { kind: "ok", detail: "claude: within limits", ...extra };
    default:
      return undefined;
  }
}

function assistantText(event: ClaudeCliEvent): string {
  const message = event.message as { content?: unknown } | undefined;
  if (!Array.isArray(message?.content)) return "";
  return message.content
    .map((b: { type?: unknown; text?: unknown }) =>
      b?.type === "text" && typeof b.text === "string" ? b.text : "",
    )
    .join("\n");
}

/**
 * Reads a quota signal out of one stream-json line of the CLI: a `rate_limit_event`, an
 * `api_retry` on HTTP 429, or an error text (synthetic assistant message or failed result).
 */
export function quotaSignalFromCliEvent(event: ClaudeCliEvent): ClaudeQuotaSignal | undefined {
  if (event.type === "rate_limit_event") {
    const info = event.rate_limit_info;
    return typeof info === "object" && info !== null
      ? fromRateLimitInfo(info as RateLimitInfo)
      : undefined;
  }
  if (event.type === "system" && event.subtype === "api_retry" && event.error_status === 429) {
    return { kind: "rate-limited", detail: "claude: upstream rate limit (429), CLI retrying" };
  }
  if (event.type === "assistant" && (event.error !== undefined || event.is_api_error_message)) {
    return matchClaudeQuotaText(assistantText(event));
  }
  if (event.type === "result" && event.is_error === true && typeof event.result === "string") {
    return matchClaudeQuotaText(event.result);
  }
  return undefined;
}
