import type { CliEvent } from "../cli-runner/cli-lines.js";

/**
 * One line of `claude -p --output-format stream-json --verbose` output. The CLI emits
 * `system` (`init`, `status`, `api_retry`, …), `stream_event` (a raw Anthropic stream event,
 * with `--include-partial-messages`), `assistant` (a complete message per content block),
 * `rate_limit_event`, and one final `result` (usage, `total_cost_usd`, `session_id`).
 */
export type ClaudeCliEvent = CliEvent;

/** The final `result` line of a run. */
export interface ClaudeCliResult extends ClaudeCliEvent {
  type: "result";
  is_error?: boolean;
  result?: string;
  stop_reason?: string | null;
  total_cost_usd?: number;
  usage?: Record<string, unknown>;
  terminal_reason?: string;
}

/** True for the final `result` line. */
export function isCliResult(event: ClaudeCliEvent): event is ClaudeCliResult {
  return event.type === "result";
}
