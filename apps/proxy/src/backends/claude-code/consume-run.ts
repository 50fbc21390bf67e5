import type { AnthropicStreamEvent } from "@switchyard/openai-compat";
import type { ResponseWriter } from "../cli-runner/response-writer.js";
import { type ClaudeCliEvent, type ClaudeCliResult, isCliResult } from "./cli-events.js";
import { type ClaudeQuotaSignal, quotaSignalFromCliEvent } from "./quota-matcher.js";

/** What a run's stream-json output said, once it ended. */
export interface ConsumedRun {
  result?: ClaudeCliResult;
  /** The session id from the `init` line. */
  initSessionId?: string;
  /** Text of a synthetic error message or of a failed result. */
  errorText?: string;
  /** The `error` tag of a synthetic error message (`authentication_failed`, `rate_limit`, …). */
  errorTag?: string;
  /** The CLI retried an HTTP 429 during the run. */
  sawRateLimit: boolean;
  /** The HTTP status of the CLI's last retried API error (`api_retry`), if any. */
  lastRetryStatus?: number;
  /** `billingSignals` for the request log (paid extra usage seen). */
  billing: string[];
}

/** True when the run produced a successful result and no error message. */
export function runSucceeded(run: ConsumedRun): boolean {
  return run.result !== undefined && run.result.is_error !== true && run.errorText === undefined;
}

function errorMessageText(event: ClaudeCliEvent): string | undefined {
  const content = (event.message as { content?: Array<{ text?: unknown }> } | undefined)?.content;
  return content?.map((b) => (typeof b.text === "string" ? b.text : "")).join("\n");
}

/**
 * Reads a run's events as they arrive: Anthropic stream events go to `writer` at once (the
 * main agent's only; a subagent's carry `parent_tool_use_id`), quota signals to `onSignal`,
 * and the result and any error text are kept for the outcome.
 */
export async function consumeRun(
  events: AsyncIterable<ClaudeCliEvent>,
  writer: ResponseWriter,
  onSignal: (signal: ClaudeQuotaSignal) => void,
): Promise<ConsumedRun> {
  const run: ConsumedRun = { sawRateLimit: false, billing: [] };
  const billing = new Set<string>();
  for await (const event of events) {
    if (event.type === "system" && event.subtype === "init") {
      if (typeof event.session_id === "string") run.initSessionId = event.session_id;
    } else if (event.type === "system" && event.subtype === "api_retry") {
      if (typeof event.error_status === "number") run.lastRetryStatus = event.error_status;
    } else if (event.type === "stream_event") {
      if (event.parent_tool_use_id == null && event.event !== undefined) {
        await writer.push(event.event as AnthropicStreamEvent);
      }
    } else if (isCliResult(event)) {
      run.result = event;
      if (event.is_error === true && typeof event.result === "string") {
        run.errorText ??= event.result;
      }
    } else if (
      event.type === "assistant" &&
      (event.error !== undefined || event.is_api_error_message)
    ) {
      const text = errorMessageText(event);
      if (text !== undefined) run.errorText = text;
      if (typeof event.error === "string") run.errorTag = event.error;
    }
    const signal = quotaSignalFromCliEvent(event);
    if (signal !== undefined) {
      if (signal.kind === "rate-limited") run.sawRateLimit = true;
      if (signal.overage === true) billing.add(`claude-code:${signal.kind}-overage`);
      onSignal(signal);
    }
  }
  run.billing = [...billing];
  return run;
}
