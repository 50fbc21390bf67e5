import { ProxyError } from "../../server/proxy-error.js";
import { redactText } from "./redact-upstream.js";
import type { UpstreamResponse } from "./upstream.js";

const maxErrorBody = 64 * 1024;
const maxMessage = 1000;

/** Reads at most `limit` bytes of a body, then drops the rest. */
async function readCapped(body: UpstreamResponse["body"], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}

/**
 * Removes credentials from an upstream error message: the backend's own keys, and anything
 * shaped like a bearer token or API key (`sk-…`, long opaque tokens). Long messages are cut.
 */
export function redactMessage(message: string, secrets: readonly string[]): string {
  const out = redactText(message, secrets);
  return out.length > maxMessage ? `${out.slice(0, maxMessage)}…` : out;
}

/** Longest error `type`/`code` passed on (real ones are short identifiers). */
const maxField = 100;

/** An upstream error's `type` or `code`, redacted and cut like the message. */
function redactField(value: string, secrets: readonly string[]): string {
  const out = redactText(value, secrets);
  return out.length > maxField ? out.slice(0, maxField) : out;
}

/** A `retry-after` worth passing on: delay-seconds or an HTTP date (RFC 9110 §10.2.3), else nothing. */
function validRetryAfter(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return text;
  return text.length <= 64 &&
    /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)
    ? text
    : undefined;
}

const header = (headers: UpstreamResponse["headers"], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Turns a non-2xx upstream response into a ProxyError: status preserved, `retry-after`
 * kept, the upstream's error type and (redacted) message kept when the body is a known
 * error shape; otherwise a generic message that echoes nothing of the body.
 */
export async function upstreamErrorFrom(options: {
  response: UpstreamResponse;
  backend: string;
  dialect: "anthropic" | "openai";
  secrets: readonly string[];
}): Promise<ProxyError> {
  const { response } = options;
  let text = "";
  try {
    text = await readCapped(response.body, maxErrorBody);
  } catch {
    // The status alone still says what happened.
  }
  return upstreamErrorFromText({ ...options, text });
}

/**
 * {@link upstreamErrorFrom} for a body already read: also for a 2xx whose body is an error
 * object (some OpenAI-compatible servers send those), which becomes a 502.
 */
export function upstreamErrorFromText(options: {
  response: Pick<UpstreamResponse, "status" | "headers">;
  text: string;
  backend: string;
  dialect: "anthropic" | "openai";
  secrets: readonly string[];
}): ProxyError {
  const { response, text, backend, dialect, secrets } = options;
  let type: string | undefined;
  let code: string | undefined;
  let message: string | undefined;
  try {
    const value = JSON.parse(text) as unknown;
    // Google answers `[{"error": …}]`: its first element is the error.
    const parsed = (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;
    const error = parsed.error;
    if (typeof error === "object" && error !== null) {
      const e = error as Record<string, unknown>;
      if (typeof e.message === "string") message = e.message;
      if (typeof e.type === "string") type = redactField(e.type, secrets);
      if (typeof e.code === "string") code = redactField(e.code, secrets);
    } else if (typeof error === "string") {
      message = error;
    } else if (typeof parsed.message === "string") {
      message = parsed.message;
    }
  } catch {
    // Not JSON: never echo it, it may be an HTML page or hold anything.
  }
  const retryAfter = validRetryAfter(header(response.headers, "retry-after"));
  const safe =
    message === undefined
      ? `upstream ${backend} returned HTTP ${response.status}`
      : `upstream ${backend}: ${redactMessage(message, secrets)}`;
  return new ProxyError("upstream_error", safe, {
    status: response.status >= 400 && response.status <= 599 ? response.status : 502,
    upstream: {
      dialect,
      ...(type === undefined ? {} : { type }),
      ...(code === undefined ? {} : { code }),
    },
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });
}
