import { fnv1a64 } from "./internal/fnv1a64.js";

/** Which request field a session key came from. */
export type SessionKeySource =
  | "header"
  | "claude-code-header"
  | "metadata-user-id"
  | "user"
  | "prompt-cache-key"
  | "content-hash";

/** The request parts `deriveSessionKey` looks at. */
export interface SessionKeyInput {
  /** Request headers; names are matched case-insensitively. */
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; any shape is accepted. */
  body: unknown;
  /** Which API the body speaks. */
  dialect: "openai" | "anthropic";
}

/** A derived session key and where it came from. */
export interface SessionKey {
  key: string;
  source: SessionKeySource;
}

/** Options of `deriveSessionKey`. */
export interface DeriveSessionKeyOptions {
  /**
   * Hash used for the content fallback and for over-long identifiers; must be synchronous.
   * Default: FNV-1a 64-bit, 16 hex digits (fast, not cryptographic). For SHA-256 pass
   * `(s) => createHash("sha256").update(s).digest("hex")` from `node:crypto`.
   */
  hash?: (input: string) => string;
  /** Identifiers longer than this are replaced by their hash. Default 256. */
  maxKeyLength?: number;
  /**
   * Every header name is lower case, as in Node's `IncomingMessage.headers`: the session
   * headers are looked up by their own name only, without searching the other names for a
   * different casing. Default false (names are matched case-insensitively).
   */
  lowerCaseHeaders?: boolean;
}

/**
 * Derives a stable session key from a request: `x-session-id` header, then
 * `x-claude-code-session-id` header, then Anthropic `metadata.user_id`, then OpenAI `user`,
 * then OpenAI `prompt_cache_key`, else a hash of the system prompt and first user message
 * (OpenAI Responses `instructions`/`input` and legacy `prompt` count too). `undefined` when
 * the request has none of these: requests with nothing in common must not share one key.
 * Never throws, whatever the body holds.
 *
 * @example
 * deriveSessionKey({ headers: { "X-Session-Id": "abc" }, body: {}, dialect: "openai" });
 * // → { key: "abc", source: "header" }
 */
export function deriveSessionKey(
  input: SessionKeyInput,
  options: DeriveSessionKeyOptions = {},
): SessionKey | undefined {
  const { hash = fnv1a64, maxKeyLength = 256, lowerCaseHeaders = false } = options;
  const headers = isRecord(input?.headers) ? input.headers : {};
  const body = isRecord(input?.body) ? input.body : {};

  const explicit = readHeader(headers, "x-session-id", lowerCaseHeaders);
  if (explicit) return limitedKey(explicit, "header", hash, maxKeyLength);
  const claudeCode = readHeader(headers, "x-claude-code-session-id", lowerCaseHeaders);
  if (claudeCode) return limitedKey(claudeCode, "claude-code-header", hash, maxKeyLength);

  if (input?.dialect === "anthropic") {
    const userId = isRecord(body.metadata) ? nonEmpty(body.metadata.user_id) : undefined;
    if (userId) return limitedKey(userId, "metadata-user-id", hash, maxKeyLength);
  } else if (input?.dialect === "openai") {
    const user = nonEmpty(body.user);
    if (user) return limitedKey(user, "user", hash, maxKeyLength);
    const cacheKey = nonEmpty(body.prompt_cache_key);
    if (cacheKey) return limitedKey(cacheKey, "prompt-cache-key", hash, maxKeyLength);
  }

  const fingerprint = conversationFingerprint(body, input?.dialect);
  return fingerprint === undefined ? undefined : { key: hash(fingerprint), source: "content-hash" };
}

/** A key from a client-chosen identifier: one longer than `maxKeyLength` is hashed. */
function limitedKey(
  value: string,
  source: SessionKeySource,
  hash: (input: string) => string,
  maxKeyLength: number,
): SessionKey {
  return { key: value.length > maxKeyLength ? `h:${hash(value)}` : value, source };
}

/**
 * The text that identifies a conversation: its system prompt and its first user message
 * (Chat Completions / Messages), or Responses `instructions` and the first `input` item, or a
 * legacy `prompt`. Undefined when there is none.
 */
function conversationFingerprint(
  body: Record<string, unknown>,
  dialect: unknown,
): string | undefined {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  // The system parts joined by "\n" as they come (no array per request); undefined: none yet.
  let system: string | undefined;
  if (dialect === "anthropic") system = contentText(body.system);
  if (dialect === "openai") system = contentText(body.instructions);
  let firstUser = messages.length === 0 ? firstInput(body) : "";
  for (const message of messages) {
    if (!isRecord(message)) continue;
    const role = message.role;
    if (dialect === "openai" && (role === "system" || role === "developer")) {
      const text = contentText(message.content);
      system = system === undefined ? text : `${system}\n${text}`;
    } else if (role === "user") {
      firstUser = contentText(message.content);
      break;
    }
  }
  const systemText = system ?? "";
  if (systemText === "" && firstUser === "") return undefined;
  // A separator that cannot occur in JSON-escaped text keeps the two parts unambiguous.
  return `${systemText}\u0000${firstUser}`;
}

/** Responses API `input` (a string, or items whose first user item counts) or legacy `prompt`. */
function firstInput(body: Record<string, unknown>): string {
  const { input, prompt } = body;
  if (typeof input === "string") return input;
  if (Array.isArray(input)) {
    for (const item of input) {
      if (isRecord(item) && (item.role === "user" || item.role === undefined)) {
        const text = contentText(item.content);
        if (text !== "") return text;
      }
    }
  }
  return contentText(prompt);
}

/**
 * Text of a string or content-block array; non-text blocks contribute their JSON without
 * `cache_control` (moving a cache marker must not change the conversation's key).
 */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part === "string") parts.push(part);
    else if (isRecord(part) && typeof part.text === "string") parts.push(part.text);
    else if (isRecord(part) && "cache_control" in part) {
      const { cache_control: _marker, ...rest } = part;
      parts.push(safeJson(rest));
    } else parts.push(safeJson(part));
  }
  return parts.join("\n");
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

function readHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
  lowerCaseOnly: boolean,
): string | undefined {
  // Node hands headers over with lower-cased keys: that key first, then any other casing,
  // without an entries array per call (this runs for every request).
  const direct = hasOwn.call(headers, name) ? firstNonEmpty(headers[name]) : undefined;
  if (direct !== undefined || lowerCaseOnly) return direct;
  for (const key in headers) {
    // Only a key with an upper-case letter can match `name` by case alone: the usual
    // all-lower-case keys are skipped without lower-casing (and allocating) each of them.
    if (!hasUpperCase.test(key) || !hasOwn.call(headers, key) || key.toLowerCase() !== name) {
      continue;
    }
    const found = firstNonEmpty(headers[key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;
const hasUpperCase = /[A-Z]/;

function firstNonEmpty(raw: string | string[] | undefined): string | undefined {
  if (!Array.isArray(raw)) return nonEmpty(raw);
  for (const value of raw) {
    const found = nonEmpty(value);
    if (found) return found;
  }
  return undefined;
}

function nonEmpty(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
