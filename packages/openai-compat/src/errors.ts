import type { AnthropicErrorBody, AnthropicErrorType } from "./types/anthropic.js";
import type { OpenAIErrorBody } from "./types/openai.js";

const marker = Symbol.for("switchyard.openai-compat.error");

/** Why a translation failed. */
export type TranslationErrorCode =
  /** A request parameter the target API cannot express (e.g. `n > 1`, `logprobs`). */
  | "unsupported_parameter"
  /** A content part or block the target API cannot express (e.g. `input_audio`). */
  | "unsupported_content"
  /** The input is structurally invalid (e.g. a tool call without a function). */
  | "invalid_request"
  /** Tool call `arguments` are not a JSON object. */
  | "invalid_tool_arguments"
  /** An upstream response cannot be translated (e.g. no choices). */
  | "invalid_response";

/** Options of {@link TranslationError}. */
export interface TranslationErrorOptions {
  code: TranslationErrorCode;
  message: string;
  /** Path of the offending field, e.g. `messages[2].content[0]`. */
  param?: string;
  cause?: unknown;
  /** HTTP status to answer with; 400 for request problems, 502 for response problems. */
  status?: number;
}

/** The base error of this package: every translation failure is one of these. */
export class TranslationError extends Error {
  readonly [marker] = true;
  readonly code: TranslationErrorCode;
  readonly param: string | undefined;
  readonly status: number;

  constructor({ code, message, param, cause, status }: TranslationErrorOptions) {
    super(message, { cause });
    this.name = "TranslationError";
    this.code = code;
    this.param = param;
    this.status = status ?? (code === "invalid_response" ? 502 : 400);
  }

  /** True for any `TranslationError`, even one from a duplicate install of this package. */
  static isInstance(error: unknown): error is TranslationError {
    return typeof error === "object" && error !== null && marker in error;
  }
}

/** An OpenAI error type and code for an HTTP status. */
export interface OpenAIErrorKind {
  type: string;
  code: string | null;
}

/**
 * The OpenAI error `type`/`code` for an HTTP status.
 *
 * | status | type | code |
 * |---|---|---|
 * | 400 | invalid_request_error | null |
 * | 401 | authentication_error | invalid_api_key |
 * | 403 | permission_error | permission_denied |
 * | 404 | not_found_error | not_found |
 * | 413 | invalid_request_error | request_too_large |
 * | 429 | rate_limit_error | rate_limit_exceeded |
 * | 503, 529 | server_error | overloaded |
 * | other 5xx | server_error | null |
 */
export function openAIErrorTypeForStatus(status: number): OpenAIErrorKind {
  switch (status) {
    case 400:
      return { type: "invalid_request_error", code: null };
    case 401:
      return { type: "authentication_error", code: "invalid_api_key" };
    case 403:
      return { type: "permission_error", code: "permission_denied" };
    case 404:
      return { type: "not_found_error", code: "not_found" };
    case 413:
      return { type: "invalid_request_error", code: "request_too_large" };
    case 429:
      return { type: "rate_limit_error", code: "rate_limit_exceeded" };
    case 503:
    case 529:
      return { type: "server_error", code: "overloaded" };
    default:
      return status >= 500
        ? { type: "server_error", code: null }
        : { type: "invalid_request_error", code: null };
  }
}

/**
 * The Anthropic error type for an HTTP status: 400 invalid_request_error,
 * 401 authentication_error, 402 billing_error, 403 permission_error, 404 not_found_error,
 * 413 request_too_large, 429 rate_limit_error, 503/529 overloaded_error, 504 timeout_error,
 * other 4xx invalid_request_error, other 5xx api_error.
 */
export function anthropicErrorTypeForStatus(status: number): AnthropicErrorType {
  const known: Record<number, AnthropicErrorType> = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    503: "overloaded_error",
    504: "timeout_error",
    529: "overloaded_error",
  };
  return known[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

/** The HTTP status Anthropic uses for an error type (unknown types: 500). */
export function statusForAnthropicErrorType(type: AnthropicErrorType): number {
  const known: Record<string, number> = {
    invalid_request_error: 400,
    authentication_error: 401,
    billing_error: 402,
    permission_error: 403,
    not_found_error: 404,
    request_too_large: 413,
    rate_limit_error: 429,
    api_error: 500,
    timeout_error: 504,
    overloaded_error: 529,
  };
  return known[type] ?? 500;
}

/** Input of {@link createOpenAIErrorBody}. */
export interface CreateOpenAIErrorBodyOptions {
  message: string;
  /** HTTP status; picks `type` and `code` when they are not given. */
  status?: number;
  type?: string;
  param?: string | null;
  code?: string | null;
}

/** Builds an OpenAI error body `{ error: { message, type, param, code } }`. */
export function createOpenAIErrorBody({
  message,
  status = 500,
  type,
  param = null,
  code,
}: CreateOpenAIErrorBodyOptions): OpenAIErrorBody {
  const kind = openAIErrorTypeForStatus(status);
  return {
    error: { message, type: type ?? kind.type, param, code: code === undefined ? kind.code : code },
  };
}

/** Input of {@link createAnthropicErrorBody}. */
export interface CreateAnthropicErrorBodyOptions {
  message: string;
  /** HTTP status; picks `type` when it is not given. */
  status?: number;
  type?: AnthropicErrorType;
}

/** Builds an Anthropic error body `{ type: "error", error: { type, message } }`. */
export function createAnthropicErrorBody({
  message,
  status = 500,
  type,
}: CreateAnthropicErrorBodyOptions): AnthropicErrorBody {
  return { type: "error", error: { type: type ?? anthropicErrorTypeForStatus(status), message } };
}

/** An error body with the HTTP status to send it with. */
export interface TranslatedError<Body> {
  status: number;
  body: Body;
}

/** Anthropic's context-window error: `prompt is too long: 208656 tokens > 200000 maximum`. */
const ANTHROPIC_OVERFLOW = /prompt is too long(?::\s*(\d+) tokens > (\d+) maximum)?/i;
/** OpenAI's (and most compatible servers'): `maximum context length is 8192 tokens …`. */
const OPENAI_OVERFLOW = /maximum context length is (\d+)/i;
const OPENAI_OVERFLOW_REQUESTED = /(?:requested|resulted in) (\d+) tokens/i;

/**
 * A context-window overflow said in the other API's words, so that clients which detect it
 * (Claude Code compacts on "prompt is too long"; OpenAI clients check `context_length_exceeded`)
 * still do. Undefined when `message` is not one.
 */
function overflowToAnthropic(message: string, code: unknown): string | undefined {
  const max = OPENAI_OVERFLOW.exec(message)?.[1];
  if (code !== "context_length_exceeded" && max === undefined) return undefined;
  const requested = OPENAI_OVERFLOW_REQUESTED.exec(message)?.[1];
  return requested !== undefined && max !== undefined
    ? `prompt is too long: ${requested} tokens > ${max} maximum (${message})`
    : `prompt is too long (${message})`;
}

function overflowToOpenAI(message: string): string | undefined {
  const match = ANTHROPIC_OVERFLOW.exec(message);
  if (match === null) return undefined;
  const [, requested, max] = match;
  return requested !== undefined && max !== undefined
    ? `This model's maximum context length is ${max} tokens. However, your messages resulted in ${requested} tokens. (${message})`
    : message;
}

/**
 * Converts an Anthropic error (body and status) to an OpenAI one. `529 overloaded_error`
 * becomes `503` (`server_error`, code `overloaded`): 529 is not a standard status and
 * OpenAI clients know 503 as "retry later". Without a status, the error type decides it.
 * "prompt is too long: N tokens > M maximum" becomes code `context_length_exceeded` with
 * OpenAI's wording in front of the original.
 */
export function convertAnthropicErrorToOpenAI(
  body: AnthropicErrorBody,
  status?: number,
): TranslatedError<OpenAIErrorBody> {
  const type = body?.error?.type ?? "api_error";
  const resolved = status ?? statusForAnthropicErrorType(type);
  const outStatus = resolved === 529 || type === "overloaded_error" ? 503 : resolved;
  const message = typeof body?.error?.message === "string" ? body.error.message : String(type);
  const overflow = outStatus === 400 ? overflowToOpenAI(message) : undefined;
  if (overflow !== undefined) {
    return {
      status: 400,
      body: createOpenAIErrorBody({
        message: overflow,
        status: 400,
        param: "messages",
        code: "context_length_exceeded",
      }),
    };
  }
  return { status: outStatus, body: createOpenAIErrorBody({ message, status: outStatus }) };
}

/**
 * Converts an OpenAI error (body and status) to an Anthropic one. The status decides the
 * type; `insufficient_quota` becomes `402 billing_error` (retrying cannot help), and `503`
 * becomes `529 overloaded_error` so Anthropic clients back off as they do for Anthropic.
 * A context-window overflow (`context_length_exceeded`, "maximum context length is …") is
 * reworded as Anthropic's "prompt is too long: N tokens > M maximum", original appended.
 */
export function convertOpenAIErrorToAnthropic(
  body: OpenAIErrorBody,
  status: number,
): TranslatedError<AnthropicErrorBody> {
  const error = body?.error;
  const message = typeof error?.message === "string" ? error.message : `upstream error ${status}`;
  if (error?.code === "insufficient_quota" || error?.type === "insufficient_quota") {
    return { status: 402, body: createAnthropicErrorBody({ message, type: "billing_error" }) };
  }
  const overflow = status === 400 ? overflowToAnthropic(message, error?.code) : undefined;
  if (overflow !== undefined) {
    return {
      status: 400,
      body: createAnthropicErrorBody({ message: overflow, type: "invalid_request_error" }),
    };
  }
  const outStatus = status === 503 ? 529 : status;
  return { status: outStatus, body: createAnthropicErrorBody({ message, status: outStatus }) };
}
