import type { ResponsesResponse } from "../types/responses.js";
import { toOpenAIStreamError } from "./stream-errors.js";

/** OpenAI error types and the Responses `error.code` each stands for. */
const CODE_BY_TYPE: Readonly<Record<string, string>> = {
  rate_limit_error: "rate_limit_exceeded",
  insufficient_quota: "insufficient_quota",
  invalid_request_error: "invalid_prompt",
};

/**
 * The `error` of a failed `Response` for `err`: an Anthropic or OpenAI error body keeps its
 * message (and its code where it has one: `rate_limit_exceeded`, `context_length_exceeded`,
 * …, which clients such as Codex act on); anything else gets a generic message, since its
 * text may carry an upstream body or a credential.
 */
export function toResponsesError(err: unknown): NonNullable<ResponsesResponse["error"]> {
  const { error } = toOpenAIStreamError(err);
  const code =
    typeof error.code === "string" && error.code !== ""
      ? error.code
      : (CODE_BY_TYPE[error.type] ?? "server_error");
  return { code, message: error.message };
}
