import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-write.js";
import { ConfigError } from "./errors.js";

/**
 * The parsed JSON in a file of ours (an empty file reads as `{}`), or `undefined` when the
 * file does not exist. Errors name the file and, for bad JSON, the line and column only:
 * never the parser's message, which quotes the text around the error (it may be a key).
 */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigError({
      code: "io_error",
      message: `${path}: cannot read: ${(error as Error).message}`,
      file: path,
      cause: error,
    });
  }
  return parseJsonText(text, path);
}

/**
 * Parses the text of a file of ours (an empty file reads as `{}`); a bad JSON error names the
 * file and the line and column only, never the text around it.
 */
export function parseJsonText(text: string, path: string): unknown {
  // A UTF-8 byte order mark (Windows Notepad writes one) is not JSON, but it is no error either.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    throw new ConfigError({
      code: "invalid_json",
      message: `${path}: not valid JSON${jsonErrorLocation(text, error as Error)}`,
      file: path,
    });
  }
}

/** The raw JSON object in a config file, or `undefined` when the file does not exist. */
export async function readConfigFileRaw(
  path: string,
): Promise<Record<string, unknown> | undefined> {
  const raw = await readJsonFile(path);
  if (raw === undefined) return undefined;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError({
      code: "invalid_config",
      message: `${path}: must hold a JSON object ({ ... }) at the top level`,
      issues: [{ path: "", message: "must be a JSON object" }],
      file: path,
    });
  }
  return raw as Record<string, unknown>;
}

/**
 * Read-modify-write a config file atomically, keeping every field `update` does not touch.
 * A missing file starts as `{}`.
 */
export async function updateConfigFile(
  path: string,
  update: (raw: Record<string, unknown>) => Record<string, unknown> | undefined,
): Promise<Record<string, unknown>> {
  const current = (await readConfigFileRaw(path)) ?? {};
  const next = update(current) ?? current;
  await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`, {
    mode: 0o600,
    keepMode: true,
  });
  return next;
}

/** ` (line L, column C)` for a JSON.parse error, or `` when V8 gives no position. */
function jsonErrorLocation(text: string, error: Error): string {
  const position = /at position (\d+)/.exec(error.message)?.[1];
  if (position !== undefined) {
    const before = text.slice(0, Number(position));
    const line = before.split("\n").length;
    const column = Number(position) - before.lastIndexOf("\n");
    return ` (line ${line}, column ${column})`;
  }
  if (/end of JSON input/i.test(error.message)) return " (it ends too early)";
  const token = /Unexpected token '(.)'/.exec(error.message)?.[1];
  if (token !== undefined) {
    const index = text.indexOf(token);
    return index >= 0 ? jsonErrorLocation(text, new Error(`at position ${index}`)) : "";
  }
  return "";
}
