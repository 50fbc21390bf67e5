import {
  TranslationError,
  validateAnthropicMessagesRequest,
  validateOpenAIChatRequest,
  validateResponsesRequest,
} from "@switchyard/openai-compat";
import type { Endpoint } from "../backends/types.js";
import { ProxyError } from "./proxy-error.js";

/**
 * One validator per endpoint, from openai-compat (the official API references are the judge).
 * Every backend, pass-through or translated, gets only a body its caller's API would accept.
 * `checkDepth: false`: {@link parseJsonBody} already bounded the depth of the JSON text.
 * A new dialect's endpoint adds its validator here (the `Record` makes that required).
 */
const validators: Record<Endpoint, (body: unknown) => void> = {
  messages: (body) => validateAnthropicMessagesRequest(body, { checkDepth: false }),
  count_tokens: (body) =>
    validateAnthropicMessagesRequest(body, { endpoint: "count_tokens", checkDepth: false }),
  chat_completions: (body) => validateOpenAIChatRequest(body, { checkDepth: false }),
  responses: (body) => validateResponsesRequest(body),
  responses_input_tokens: (body) => validateResponsesRequest(body),
};

/** Refuses a body the endpoint's API would refuse: a 400 `ProxyError` naming the field. */
export function validateRequestBody(
  endpoint: Endpoint,
  body: unknown,
): asserts body is Record<string, unknown> {
  try {
    validators[endpoint](body);
  } catch (error) {
    if (!TranslationError.isInstance(error)) throw error;
    throw new ProxyError("bad_request", error.message, {
      ...(error.param === undefined ? {} : { param: error.param }),
      cause: error,
    });
  }
}

/** Session headers are hashed and counted; longer than this they are not an id. */
const MAX_SESSION_HEADER_LENGTH = 256;
const sessionHeaders = ["x-session-id", "x-claude-code-session-id"] as const;

/** Refuses an over-long session header (a client id that is hashed, stored and counted). */
export function validateSessionHeaders(headers: Record<string, string | string[] | undefined>) {
  for (const name of sessionHeaders) {
    const value = headers[name];
    if (value === undefined) continue;
    const length = Array.isArray(value) ? value.join(", ").length : value.length;
    if (length > MAX_SESSION_HEADER_LENGTH) {
      throw new ProxyError(
        "bad_request",
        `${name} header: must have at most ${MAX_SESSION_HEADER_LENGTH} characters`,
        { param: name },
      );
    }
  }
}
