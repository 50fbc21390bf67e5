/**
 * One redaction for every byte that came from an upstream error: HTTP error bodies (status,
 * type, code, message, any other field), SSE `error` events on pass-through and translated
 * streams, and 2xx bodies that are in fact errors. It removes the backend's own secrets and
 * anything shaped like a key or bearer token.
 */

import { errorFinder, findErrorLoop, SIMD_MIN_BYTES } from "./error-word.js";

const REDACTED = "[redacted]";
/** Key prefixes providers use (`sk-…`, `sk-ant-…`, `gsk_…`, `xai-…`, …). */
const KEY_SHAPED = /\b(?:sk|pk|rk|key|gsk|xai)[-_][A-Za-z0-9_*-]{6,}/g;
/** Long opaque tokens (bearer tokens, JWT parts, hex keys). */
const OPAQUE = /\b[A-Za-z0-9_-]{40,}\b/g;
/** How deep a parsed error body is walked; deeper values are dropped. */
const MAX_DEPTH = 32;

/** `text` with every secret (at least 4 characters) and every key-shaped token replaced. */
export function redactText(text: string, secrets: readonly string[]): string {
  return redactSecrets(text, secrets).replace(KEY_SHAPED, REDACTED).replace(OPAQUE, REDACTED);
}

/** `text` with every secret (at least 4 characters) replaced. */
function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && secret.length <= out.length && out.includes(secret)) {
      out = out.split(secret).join(REDACTED);
    }
  }
  return out;
}

/** Where the characters fixed by a secret's own bytes start, for each of the 3 alignments. */
const BASE64_START = [0, 2, 3];

/**
 * The base64 forms of a secret (standard and URL-safe, at each of the three byte alignments):
 * an upstream that echoes a `Basic` credential or a base64 blob holding the key shows the key
 * in a form that is as good as the key. Each form keeps only the characters that the secret's
 * own bytes decide, so it is found whatever bytes surround the secret. Secrets shorter than 8
 * characters get none (their forms would match too much).
 */
export function encodedForms(secret: string): string[] {
  if (secret.length < 8) return [];
  const bytes = Buffer.from(secret, "utf8");
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const b64 = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
    const form = b64.slice(BASE64_START[k], Math.floor(((k + bytes.length) * 4) / 3));
    out.push(form);
    const urlSafe = form.replaceAll("+", "-").replaceAll("/", "_");
    if (urlSafe !== form) out.push(urlSafe);
  }
  return out;
}

/** `secrets` and their base64 forms ({@link encodedForms}), each once. */
export function withEncodedForms(secrets: readonly string[]): string[] {
  return [...new Set(secrets.flatMap((s) => [s, ...encodedForms(s)]))];
}

/**
 * A relayed response header's value with the backend's secrets and key-shaped tokens
 * replaced. Long opaque tokens are kept: a request id is what a user quotes to the provider.
 * A value shorter than the shortest key-shaped token (`sk-` and six characters) can only hide
 * a secret, and is searched for those alone.
 */
export function redactHeaderValue(value: string, secrets: readonly string[]): string {
  const out = redactSecrets(value, secrets);
  return out.length < 9 ? out : out.replace(KEY_SHAPED, REDACTED);
}

/**
 * A copy of a parsed JSON value with every string (object keys included) redacted. Values
 * nested deeper than 32 levels are dropped rather than walked.
 */
export function redactJson(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === "string") return redactText(value, secrets);
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[redactText(key, secrets)] = redactJson(v, secrets, depth + 1);
  }
  return out;
}

/**
 * True for a parsed body or event that is an error: `{"error": …}` (OpenAI),
 * `{"type": "error"}` (Anthropic) or `{"object": "error"}` (vLLM and others), or an array
 * whose first element is one (Google's `[{"error": …}]`).
 */
export function isErrorValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && isErrorObject(value[0]);
  return isErrorObject(value);
}

function isErrorObject(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return v.type === "error" || v.object === "error" || (v.error !== undefined && v.error !== null);
}

/**
 * True for a parsed stream event that reports an error: an error value ({@link isErrorValue}),
 * or a Responses event whose response failed (`response.failed`, or any `response` with an
 * `error`), where the upstream's error message sits at `response.error`.
 */
export function isErrorEvent(value: unknown): boolean {
  if (isErrorValue(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.type === "response.failed") return true;
  const response = v.response;
  return (
    typeof response === "object" &&
    response !== null &&
    (response as Record<string, unknown>).error !== undefined &&
    (response as Record<string, unknown>).error !== null
  );
}

/** `event:` before index `at` (with or without one space). */
function eventFieldBefore(bytes: Uint8Array, at: number): boolean {
  const start = bytes[at - 1] === 0x20 ? at - 7 : at - 6;
  return (
    start >= 0 &&
    bytes[start] === 0x65 &&
    bytes[start + 1] === 0x76 &&
    bytes[start + 2] === 0x65 &&
    bytes[start + 3] === 0x6e &&
    bytes[start + 4] === 0x74 &&
    bytes[start + 5] === 0x3a
  );
}

/**
 * Whether `bytes` may hold an error event or body: `error` as a JSON string token (`"error"`)
 * or as an SSE event name (`event: error`). Text that merely mentions an error (`\"error\"`
 * inside a JSON string) does not match. Costs a fraction of a microsecond per stream event
 * (see error-word.ts for the search).
 */
export function mayHoldError(bytes: Uint8Array): boolean {
  // A short buffer calls the loop directly: a call through a variable costs it more than the
  // search of one event.
  if (bytes.length < SIMD_MIN_BYTES) {
    for (let at = findErrorLoop(bytes, 0); at >= 0; at = findErrorLoop(bytes, at + 1)) {
      if (errorTokenAt(bytes, at)) return true;
    }
    return false;
  }
  const findError = errorFinder(bytes);
  for (let at = findError(bytes, 0); at >= 0; at = findError(bytes, at + 1)) {
    if (errorTokenAt(bytes, at)) return true;
  }
  return false;
}

/** Whether the `error` at `at` is a JSON string token or an SSE event name. */
function errorTokenAt(bytes: Uint8Array, at: number): boolean {
  if (bytes[at - 1] === 0x22 /* " */ && bytes[at + 5] === 0x22)
    return !nullMemberAfter(bytes, at + 6) || holdsFailedResponse(bytes);
  return eventFieldBefore(bytes, at);
}

const FAILED_RESPONSE = Buffer.from('"response.failed"');

/** A `response.failed` event is redacted whole, whatever its `error` says. */
const holdsFailedResponse = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(FAILED_RESPONSE);

/**
 * Whether `:null` (spaces allowed) follows a string at `from`: an `"error":null` member, which
 * every Responses object carries and no error has (an error value's `error` is never null).
 */
function nullMemberAfter(bytes: Uint8Array, from: number): boolean {
  let i = from;
  while (bytes[i] === 0x20) i++;
  if (bytes[i] !== 0x3a /* : */) return false;
  i++;
  while (bytes[i] === 0x20) i++;
  return (
    bytes[i] === 0x6e && bytes[i + 1] === 0x75 && bytes[i + 2] === 0x6c && bytes[i + 3] === 0x6c
  );
}

/** An SSE line end: CRLF, LF or a CR alone. */
const LINE_END = /\r\n|\r|\n/;
/** The blank line that ends an SSE event: two line ends, each CRLF, LF or a lone CR. */
const BOUNDARY = /((?:\r\n|\r(?!\n)|\n)(?:\r\n|\r(?!\n)|\n))/;

/**
 * One SSE event block (no trailing blank line): its error form redacted, or `undefined` if not
 * an error. `seen.error` is set when it is an error event.
 */
function redactEventBlock(
  block: string,
  secrets: readonly string[],
  seen: { error: boolean } | undefined,
): string | undefined {
  let name: string | undefined;
  const data: string[] = [];
  for (const line of block.split(LINE_END)) {
    if (line.startsWith("event:")) name = line.slice(6).trimStart();
    else if (line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
  }
  const text = data.join("\n");
  let parsed: unknown;
  let json = true;
  try {
    parsed = JSON.parse(data.length > 0 ? text : block);
  } catch {
    json = false;
  }
  if (json ? !(name === "error" || isErrorEvent(parsed)) : name !== "error") {
    // Not JSON and not named `error`: a raw block that only mentions an error token.
    return json || data.length > 0 ? undefined : redactText(block, secrets);
  }
  if (seen !== undefined) seen.error = true;
  const payload = json ? JSON.stringify(redactJson(parsed, secrets)) : redactText(text, secrets);
  if (data.length === 0) return payload;
  return `${name === undefined ? "" : `event: ${redactText(name, secrets)}\n`}data: ${payload}`;
}

/**
 * `text` (SSE events, or a bare JSON body) with every error event redacted; every other
 * event keeps its exact bytes. `seen.error` is set when it held an error event.
 */
export function redactErrorEvents(
  text: string,
  secrets: readonly string[],
  seen?: { error: boolean },
): string {
  const parts = text.split(BOUNDARY);
  let out = "";
  for (let i = 0; i < parts.length; i += 2) {
    const block = parts[i] ?? "";
    const separator = parts[i + 1] ?? "";
    const redacted = block.includes("error") ? redactEventBlock(block, secrets, seen) : undefined;
    out += (redacted ?? block) + separator;
  }
  return out;
}

/** A whole JSON body that is in fact an error, redacted; `undefined` when it is not one. */
export function redactErrorBody(body: string, secrets: readonly string[]): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  return isErrorValue(parsed) ? JSON.stringify(redactJson(parsed, secrets)) : undefined;
}
