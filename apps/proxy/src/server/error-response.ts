import type { Dialect, ResponseSink } from "../backends/types.js";
import { ProxyError } from "./proxy-error.js";

const anthropicTypes = new Set([
  "invalid_request_error",
  "authentication_error",
  "billing_error",
  "permission_error",
  "not_found_error",
  "request_too_large",
  "rate_limit_error",
  "timeout_error",
  "api_error",
  "overloaded_error",
]);

/** The Anthropic error `type` for a status (or the upstream's own type when it is one). */
export function anthropicErrorType(status: number, upstreamType?: string): string {
  if (upstreamType !== undefined && anthropicTypes.has(upstreamType)) return upstreamType;
  if (status === 401) return "authentication_error";
  if (status === 402) return "billing_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 413) return "request_too_large";
  if (status === 429) return "rate_limit_error";
  if (status === 504) return "timeout_error";
  if (status === 529) return "overloaded_error";
  return status >= 500 ? "api_error" : "invalid_request_error";
}

/** The OpenAI error `type` for a status. */
export function openAIErrorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  return status >= 500 ? "server_error" : "invalid_request_error";
}

/** A ready-to-send error response. */
export interface ErrorResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Masks anything that is not a ProxyError: its message may hold a secret or an upstream body. */
function toProxyError(error: unknown): ProxyError {
  if (ProxyError.isInstance(error)) return error;
  return new ProxyError("internal", "internal error in switchyard", { cause: error });
}

/**
 * THE one function that turns any error into a response in the caller's dialect: Anthropic
 * `{type:"error",error:{type,message}}` or OpenAI `{error:{message,type,param,code}}`.
 */
export function errorToResponse(error: unknown, dialect: Dialect): ErrorResponse {
  const proxyError = toProxyError(error);
  const { status, message } = proxyError;
  const headers: Record<string, string> = {};
  if (proxyError.retryAfter !== undefined) headers["retry-after"] = proxyError.retryAfter;
  if (dialect === "anthropic") {
    return {
      status,
      headers,
      body: {
        type: "error",
        error: { type: anthropicErrorType(status, proxyError.upstreamType), message },
      },
    };
  }
  return {
    status,
    headers,
    body: {
      error: {
        message,
        type: openAIErrorType(status),
        param: proxyError.param ?? null,
        code: proxyError.code,
      },
    },
  };
}

/**
 * Writes an error to the client: a JSON error response when nothing was sent yet, else a
 * protocol-correct SSE error event followed by the end of the stream (never a forged success).
 */
export function writeError(sink: ResponseSink, dialect: Dialect, error: unknown): number {
  const response = errorToResponse(error, dialect);
  if (sink.closed) return response.status;
  if (!sink.started) {
    sink.json(response.status, response.body, response.headers);
    return response.status;
  }
  const payload = JSON.stringify(response.body);
  const event =
    dialect === "anthropic" ? `event: error\ndata: ${payload}\n\n` : `data: ${payload}\n\n`;
  void sink.write(event);
  sink.end();
  return response.status;
}
