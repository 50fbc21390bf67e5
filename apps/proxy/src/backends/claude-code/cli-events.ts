/**
 * One line of `claude -p --output-format stream-json --verbose` output. The CLI emits
 * `system` (`init`, `status`, `api_retry`, …), `stream_event` (a raw Anthropic stream event,
 * with `--include-partial-messages`), `assistant` (a complete message per content block),
 * `rate_limit_event`, and one final `result` (usage, `total_cost_usd`, `session_id`).
 * Fields the backend does not read are kept but untyped.
 */
export interface ClaudeCliEvent {
  type: string;
  subtype?: string;
  session_id?: string;
  [key: string]: unknown;
}

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

/** Splits a text stream into complete lines; a partial last line waits for the next chunk. */
export interface LineSplitter {
  push(chunk: string): string[];
  end(): string[];
}

/** Creates a {@link LineSplitter}. */
export function createLineSplitter(): LineSplitter {
  let rest = "";
  return {
    push(chunk) {
      rest += chunk;
      const lines = rest.split("\n");
      rest = lines.pop() ?? "";
      return lines.filter((l) => l.trim().length > 0);
    },
    end() {
      const last = rest;
      rest = "";
      return last.trim().length > 0 ? [last] : [];
    },
  };
}

/** Parses one output line; undefined when it is not a JSON object with a `type`. */
export function parseCliLine(line: string): ClaudeCliEvent | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(trimmed) as unknown;
    if (typeof value !== "object" || value === null) return undefined;
    const type = (value as { type?: unknown }).type;
    return typeof type === "string" ? (value as ClaudeCliEvent) : undefined;
  } catch {
    return undefined;
  }
}
