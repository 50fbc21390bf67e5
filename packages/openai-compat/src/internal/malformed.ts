import { TranslationError } from "../errors.js";

/**
 * Turns a crash caused by malformed input (reading a field of `null`, calling `map` on a
 * string, …) into a `TranslationError`, so callers only ever see translation errors.
 * Anything that is not a built-in runtime error passes through unchanged.
 */
export function asTranslationError(error: unknown, kind: "request" | "response"): unknown {
  if (TranslationError.isInstance(error)) return error;
  if (!(error instanceof TypeError || error instanceof RangeError)) return error;
  return new TranslationError({
    code: kind === "request" ? "invalid_request" : "invalid_response",
    message: `Malformed ${kind}: ${error.message}`,
    cause: error,
  });
}
