/**
 * One JSON line a vendor CLI printed on stdout (`claude -p --output-format stream-json`,
 * `codex exec --json`): an object with a `type`. Fields a backend does not read are kept but
 * untyped.
 */
export interface CliEvent {
  type: string;
  subtype?: string;
  session_id?: string;
  [key: string]: unknown;
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
export function parseCliLine(line: string): CliEvent | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(trimmed) as unknown;
    if (typeof value !== "object" || value === null) return undefined;
    const type = (value as { type?: unknown }).type;
    return typeof type === "string" ? (value as CliEvent) : undefined;
  } catch {
    return undefined;
  }
}
