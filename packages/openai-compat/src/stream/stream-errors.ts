import {
  convertAnthropicErrorToOpenAI,
  convertOpenAIErrorToAnthropic,
  createAnthropicErrorBody,
  createOpenAIErrorBody,
  openAIErrorTypeForStatus,
} from "../errors.js";
import type { AnthropicErrorBody, AnthropicErrorEvent } from "../types/anthropic.js";
import type { OpenAIErrorBody } from "../types/openai.js";

/** The marker an OpenAI stream ends with (`data: [DONE]`). */
export const OPENAI_STREAM_DONE = "[DONE]" as const;

/** The type of {@link OPENAI_STREAM_DONE}. */
export type OpenAIStreamDone = typeof OPENAI_STREAM_DONE;

/** Message of the error a translator emits when its input ends before the stream finished. */
export const STREAM_ENDED_EARLY_MESSAGE = "upstream stream ended early";

/** The error a translator ends a stream with when its input ends before the stream finished. */
export const STREAM_ENDED_EARLY_ERROR: AnthropicErrorEvent = Object.freeze({
  type: "error",
  error: Object.freeze({ type: "api_error", message: STREAM_ENDED_EARLY_MESSAGE }),
}) as AnthropicErrorEvent;

/** Message used for errors whose text is not known to be safe to show a client. */
const GENERIC_MESSAGE = "upstream stream failed";

/** Statuses tried, in order, to recover the HTTP status an OpenAI error type/code stands for. */
const OPENAI_STATUSES = [400, 401, 403, 404, 413, 429, 500, 503];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isAnthropicError(err: unknown): err is AnthropicErrorBody {
  return isRecord(err) && err.type === "error" && isRecord(err.error);
}

function isOpenAIError(err: unknown): err is OpenAIErrorBody {
  return isRecord(err) && isRecord(err.error) && typeof err.error.message === "string";
}

/** The status whose OpenAI error kind matches `code` (else `type`): mid-stream errors have none. */
function statusForOpenAIError({ error }: OpenAIErrorBody): number {
  const code = typeof error.code === "string" ? error.code : null;
  if (code !== null) {
    const byCode = OPENAI_STATUSES.find((status) => openAIErrorTypeForStatus(status).code === code);
    if (byCode !== undefined) return byCode;
  }
  return (
    OPENAI_STATUSES.find((status) => openAIErrorTypeForStatus(status).type === error.type) ?? 500
  );
}

/**
 * The OpenAI in-stream error object (`data: {"error":{...}}`) for `err`: an Anthropic error
 * event/body is converted, an OpenAI one kept. Anything else (a thrown `Error`, a network
 * failure) gets a generic message: its text may carry an upstream body or a credential.
 */
export function toOpenAIStreamError(err: unknown): OpenAIErrorBody {
  if (isAnthropicError(err)) return convertAnthropicErrorToOpenAI(err).body;
  if (isOpenAIError(err)) {
    const { message, type, param, code } = err.error;
    return { error: { message, type, param: param ?? null, code: code ?? null } };
  }
  return createOpenAIErrorBody({ message: GENERIC_MESSAGE, status: 500 });
}

/** The Anthropic `error` stream event for `err`, converted the same way. */
export function toAnthropicErrorEvent(err: unknown): AnthropicErrorEvent {
  let body: AnthropicErrorBody;
  if (isAnthropicError(err)) body = err;
  else if (isOpenAIError(err))
    body = convertOpenAIErrorToAnthropic(err, statusForOpenAIError(err)).body;
  else body = createAnthropicErrorBody({ message: GENERIC_MESSAGE, type: "api_error" });
  return { type: "error", error: { type: body.error.type, message: body.error.message } };
}
