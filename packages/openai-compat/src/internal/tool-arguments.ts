import { TranslationError } from "../errors.js";

/** How malformed tool-call `arguments` JSON is handled. */
export type InvalidToolArgumentsMode = "error" | "raw";

/** Key under which `"raw"` mode keeps unparseable arguments. */
export const RAW_ARGUMENTS_KEY = "_raw_arguments";

/**
 * Parses OpenAI tool-call `arguments` into an Anthropic `input` object.
 *
 * An empty string means "no arguments" (`{}`), as several servers send it. Anything that
 * is not a JSON object throws `invalid_tool_arguments` in `"error"` mode, or becomes
 * `{ _raw_arguments: "<text>" }` in `"raw"` mode (restored by {@link stringifyToolInput}).
 */
export function parseToolArguments(
  text: string | undefined | null,
  mode: InvalidToolArgumentsMode,
  param: string,
): Record<string, unknown> {
  if (text === undefined || text === null || text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    if (mode === "raw") return { [RAW_ARGUMENTS_KEY]: text };
    throw new TranslationError({
      code: "invalid_tool_arguments",
      message: `Tool call arguments at ${param} are not valid JSON`,
      param,
      cause,
    });
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  if (mode === "raw") return { [RAW_ARGUMENTS_KEY]: text };
  throw new TranslationError({
    code: "invalid_tool_arguments",
    message: `Tool call arguments at ${param} must be a JSON object`,
    param,
  });
}

/**
 * Serialises an Anthropic tool `input` as OpenAI `arguments`. In `"raw"` mode an input that
 * is exactly `{ _raw_arguments: "<text>" }` is restored to `<text>`.
 */
export function stringifyToolInput(
  input: unknown,
  mode: InvalidToolArgumentsMode = "error",
): string {
  if (mode === "raw" && typeof input === "object" && input !== null && !Array.isArray(input)) {
    const keys = Object.keys(input);
    const raw = (input as Record<string, unknown>)[RAW_ARGUMENTS_KEY];
    if (keys.length === 1 && typeof raw === "string") return raw;
  }
  return JSON.stringify(input ?? {});
}
