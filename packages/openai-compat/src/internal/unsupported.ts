import { TranslationError, type TranslationErrorCode } from "../errors.js";

/** Throws a 400 `TranslationError` for a field the target API cannot express. */
export function unsupported(
  param: string,
  message: string,
  code: TranslationErrorCode = "unsupported_parameter",
): never {
  throw new TranslationError({ code, message, param });
}

/** True for a plain (non-array, non-null) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
