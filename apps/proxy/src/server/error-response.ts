import {
  convertAnthropicErrorToOpenAI,
  convertOpenAIErrorToAnthropic,
  createAnthropicErrorBody,
  createOpenAIErrorBody,
  TranslationError,
} from "@switchyard/openai-compat";
import type { Dialect, ResponseSink } from "../backends/types.js";
import { isRetryableStatus, ProxyError } from "./proxy-error.js";

/** A ready-to-send error response. */
export interface ErrorResponse {
  status: number;
  body: object;
  headers: Record<string, string>;
}

/**
 * Normalises any thrown value. A translation failure keeps its (safe) message; anything
 * else unknown is masked: its message may hold a secret or an upstream body.
 */
export function toProxyError(error: unknown): ProxyError {
  if (ProxyError.isInstance(error)) return error;
  if (TranslationError.isInstance(error)) {
    return new ProxyError(
      error.status >= 500 ? "upstream_bad_response" : "bad_request",
      error.message,
      {
        status: error.status,
        ...(error.param === undefined ? {} : { param: error.param }),
        cause: error,
      },
    );
  }
  return new ProxyError("internal", "internal error in switchyard", { cause: error });
}

/**
 * Whether `error` is the proxy refusing the caller's request before sending it anywhere: a
 * request a backend cannot translate (a TranslationError below 500, see {@link toProxyError})
 * or a backend's own `bad_request`. Like a request that fails validation, it is the caller's
 * mistake: no usage record, no session, no backend error.
 */
export function isClientRejection(error: unknown): boolean {
  if (ProxyError.isInstance(error)) return error.code === "bad_request";
  return TranslationError.isInstance(error) && error.status < 500;
}

/**
 * THE one function that turns any error into a response in the caller's dialect: Anthropic
 * `{type:"error",error:{type,message}}` or OpenAI `{error:{message,type,param,code}}`. An
 * upstream error is translated with openai-compat's rules when the dialects differ.
 */
export function errorToResponse(error: unknown, dialect: Dialect): ErrorResponse {
  const proxyError = toProxyError(error);
  const { message, upstream } = proxyError;
  let status = proxyError.status;
  const headers: Record<string, string> = {};
  if (proxyError.retryAfter !== undefined) headers["retry-after"] = proxyError.retryAfter;
  if (proxyError.allow !== undefined) headers.allow = proxyError.allow;
  let body: object;
  if (upstream !== undefined && upstream.dialect !== dialect) {
    const translated =
      upstream.dialect === "anthropic"
        ? convertAnthropicErrorToOpenAI(
            { type: "error", error: { type: upstream.type ?? "api_error", message } },
            status,
          )
        : convertOpenAIErrorToAnthropic(
            {
              error: {
                message,
                type: upstream.type ?? "api_error",
                param: null,
                code: upstream.code ?? null,
              },
            },
            status,
          );
    status = translated.status;
    body = translated.body;
  } else if (dialect === "anthropic") {
    body = createAnthropicErrorBody(
      upstream?.type === undefined ? { message, status } : { message, status, type: upstream.type },
    );
  } else {
    body = createOpenAIErrorBody({
      message,
      status,
      ...(upstream?.type === undefined ? {} : { type: upstream.type }),
      code: upstream ? (upstream.code ?? null) : proxyError.code,
      param: proxyError.param ?? null,
    });
  }
  // Clients that would retry by status alone (some retry every 4xx on a gateway) are told
  // not to when it cannot help; the SDKs and Claude Code honour `x-should-retry: false`.
  if (!isRetryableStatus(status)) headers["x-should-retry"] = "false";
  return { status, headers, body };
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
  void sink.write(
    dialect === "anthropic" ? `event: error\ndata: ${payload}\n\n` : `data: ${payload}\n\n`,
  );
  sink.end();
  return response.status;
}
