import type { ClaudeQuotaSignal } from "../claude-code/quota-matcher.js";

/** One recognised quota signal of the Codex CLI (same shape as the claude-code backend's). */
export type CodexQuotaSignal = ClaudeQuotaSignal;

/**
 * The Codex CLI's own words for a used-up plan, from its source (`codex-rs/core/src/error.rs`,
 * `UsageLimitReachedError`, `QuotaExceeded`, `UsageNotIncluded`). The first was also recorded
 * live from `codex exec --json` 0.171 answering a 429 `usage_limit_reached` (see
 * `__fixtures__/usage-limit.jsonl`); the CLI writes a typographic apostrophe there.
 */
const USAGE_LIMIT = /You(?:'|\u2019)ve hit your usage limit/;
const QUOTA_EXCEEDED = /Quota exceeded\. Check your plan and billing details/;
const NOT_INCLUDED = /To use Codex with your ChatGPT plan, upgrade to Plus/;
/** After the CLI's own retries: `exceeded retry limit, last status: 429 Too Many Requests`. */
const RETRY_429 = /exceeded retry limit, last status: 429\b/;

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const RESET =
  /try again at (?:([A-Z][a-z]{2}) (\d{1,2})(?:st|nd|rd|th)?, (\d{4}) )?(\d{1,2}):(\d{2}) ?([AP]M)/i;

/**
 * The reset time in "… try again at 3:28 PM." or "… try again at Dec 7th, 2026 3:28 PM.",
 * which the CLI prints in its (and so this machine's) local time zone. A bare time already
 * past today means tomorrow.
 */
export function parseCodexResetTime(text: string, now: number = Date.now()): string | undefined {
  const m = RESET.exec(text);
  if (m === null) return undefined;
  const [, mon, day, year, hh, mm, ampm] = m;
  const hour = (Number(hh) % 12) + (ampm?.toUpperCase() === "PM" ? 12 : 0);
  const today = new Date(now);
  let at: Date;
  if (mon !== undefined) {
    const month = MONTHS.indexOf(mon.toLowerCase());
    if (month < 0) return undefined;
    at = new Date(Number(year), month, Number(day), hour, Number(mm));
  } else {
    at = new Date(today.getFullYear(), today.getMonth(), today.getDate(), hour, Number(mm));
    if (at.getTime() < now - 60_000) at.setDate(at.getDate() + 1);
  }
  return Number.isFinite(at.getTime()) ? at.toISOString() : undefined;
}

/**
 * Recognises the Codex CLI's plan-exhaustion and rate-limit texts.
 *
 * @example
 * matchCodexQuotaText("You've hit your usage limit. Try again at 3:28 PM.")?.kind; // "exhausted"
 */
export function matchCodexQuotaText(
  text: string,
  now: number = Date.now(),
): CodexQuotaSignal | undefined {
  if (USAGE_LIMIT.test(text)) {
    const resetsAt = parseCodexResetTime(text, now);
    const when = resetsAt === undefined ? "" : ` (resets ${resetsAt})`;
    return {
      kind: "exhausted",
      source: "message",
      detail: `codex: usage limit reached${when}`,
      ...(resetsAt === undefined ? {} : { resetsAt }),
    };
  }
  if (QUOTA_EXCEEDED.test(text)) {
    return { kind: "exhausted", source: "message", detail: "codex: quota exceeded" };
  }
  if (NOT_INCLUDED.test(text)) {
    return {
      kind: "exhausted",
      source: "message",
      detail: "codex: this ChatGPT plan does not include Codex",
    };
  }
  if (RETRY_429.test(text)) {
    return {
      kind: "rate-limited",
      detail: "codex: upstream rate limit (429) after the CLI's retries",
    };
  }
  return undefined;
}

/** The overage-guard signal kind for an exhaustion text: a plan limit, or credits/quota gone. */
export function codexBillingSignal(text: string): string {
  return QUOTA_EXCEEDED.test(text) ? "insufficient-quota" : "usage-limit";
}
