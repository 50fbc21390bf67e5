import type { CheckDenied } from "./types.js";

/** HTTP status for requests the guard refuses. */
export const HALT_HTTP_STATUS = 503;

/** OpenAI error body (`/v1/chat/completions`). */
export interface OpenAIHaltErrorBody {
  error: { message: string; type: string; param: null; code: string };
}

/** Anthropic error body (`/v1/messages`). */
export interface AnthropicHaltErrorBody {
  type: "error";
  error: { type: string; message: string };
}

/** The sentence a client sees: why, since when, how to resume. */
export function formatHaltMessage(denied: CheckDenied): string {
  const head =
    denied.code === "budget_in_flight"
      ? `switchyard overage guard: ${denied.reason}`
      : `switchyard overage guard halted requests since ${denied.since}: ${denied.reason}`;
  return `${head}. To resume: ${denied.resumeHint}.`;
}

/** Seconds until the denial lifts by itself (for `retry-after`), or undefined. */
export function haltRetryAfterSeconds(
  denied: CheckDenied,
  now: number = Date.now(),
): number | undefined {
  if (denied.until === undefined) return undefined;
  return Math.max(1, Math.ceil((Date.parse(denied.until) - now) / 1000));
}

/**
 * The 503 body for a denied request, in the caller's dialect. OpenAI: `type`/`code`
 * `overage_guard_halted` (or `overage_guard_budget_in_flight`); Anthropic: `api_error`.
 */
export function createHaltErrorBody(denied: CheckDenied, dialect: "openai"): OpenAIHaltErrorBody;
export function createHaltErrorBody(
  denied: CheckDenied,
  dialect: "anthropic",
): AnthropicHaltErrorBody;
export function createHaltErrorBody(
  denied: CheckDenied,
  dialect: "openai" | "anthropic",
): OpenAIHaltErrorBody | AnthropicHaltErrorBody;
export function createHaltErrorBody(
  denied: CheckDenied,
  dialect: "openai" | "anthropic",
): OpenAIHaltErrorBody | AnthropicHaltErrorBody {
  const message = formatHaltMessage(denied);
  if (dialect === "anthropic") return { type: "error", error: { type: "api_error", message } };
  const code = `overage_guard_${denied.code}`;
  return { error: { message, type: code, param: null, code } };
}
