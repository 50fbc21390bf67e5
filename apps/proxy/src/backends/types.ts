/**
 * The backend contract. The server parses and routes a request, then hands a backend one
 * {@link BackendRequest}; the backend answers through {@link ResponseSink} and returns a
 * {@link BackendResult} summary for the request log.
 *
 * A backend throws a `ProxyError` (or any error) when it fails BEFORE writing anything; the
 * server turns it into an error response in the caller's dialect. If it fails after a stream
 * has started, the server writes a protocol-correct error event and ends the stream, so a
 * backend never has to forge a success.
 */
import type { AbortSignalLike, PoolSnapshot } from "@switchyard/pool";
import type { BackendAuthStatus } from "../auth/backend-auth.js";
import type { BackendConfig, TimeoutConfig } from "../config/types.js";
import type { ProxyErrorCode } from "../server/proxy-error.js";

/** Which API the caller speaks. */
export type Dialect = "anthropic" | "openai";

/** Which endpoint was called. */
export type Endpoint =
  | "messages"
  | "count_tokens"
  | "chat_completions"
  | "responses"
  | "responses_input_tokens";

/** Token counts as the upstream reported them (Anthropic semantics: input excludes cache). */
export interface UsageSummary {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/** Where the response goes. Headers are sent once, by `json`, `bytes` or `startStream`. */
export interface ResponseSink {
  /** Sends a complete JSON response. `body` is serialised once. */
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  /** Sends a complete response whose bytes are already serialised. */
  bytes(status: number, body: Uint8Array | string, headers?: Record<string, string>): void;
  /** Sends the head of an SSE (or other chunked) response; `content-type` defaults to SSE. */
  startStream(status: number, headers?: Record<string, string>): void;
  /** Writes one chunk; resolves when the socket can take more (backpressure). */
  write(chunk: Uint8Array | string): Promise<void>;
  /** Ends the response. */
  end(): void;
  /** True once headers went out. */
  readonly started: boolean;
  /** True when the client went away; writes are then dropped. */
  readonly closed: boolean;
}

/** One parsed, routed request as a backend receives it. */
export interface BackendRequest {
  /** The protocol the caller speaks (and must be answered in). */
  dialect: Dialect;
  endpoint: Endpoint;
  /** The parsed JSON body, `model` already replaced by {@link BackendRequest.model}. */
  body: Record<string, unknown>;
  /**
   * The client's body text (UTF-8, exactly as sent), only set when {@link body} is unchanged
   * from it; pass-through backends forward it as is instead of re-serialising.
   */
  rawBody?: string;
  /** The model to send upstream (prefix stripped, route rewrite applied). */
  model: string;
  /** The model the client asked for, verbatim. */
  requestedModel: string;
  /** Whether the caller asked for a stream. */
  stream: boolean;
  /** Client headers (lower-case) with every credential removed (authorization, x-api-key, cookies). */
  headers: Record<string, string>;
  /**
   * The conversation's key (a hash, never a raw client id): pooled backends keep every request
   * with the same key on one target (prompt-cache affinity).
   */
  sessionKey?: string;
  /** Aborts when the client disconnects or the server shuts down. */
  signal: AbortSignalLike;
  /** Where to write the answer. */
  response: ResponseSink;
}

/** What a backend reports back for the request log. */
export interface BackendResult {
  /** The HTTP status sent to the client. */
  status: number;
  usage?: UsageSummary;
  /** Which upstream target served the request (never a URL with credentials). */
  target?: string;
  /** How many targets were tried and abandoned before this one. */
  failovers?: number;
  /** Signals that the response was billed in a way the overage guard cares about. */
  billingSignals?: string[];
  /**
   * Set when the answer went out incomplete but billed (a stream that ended early): the
   * error code for the request log. Usage still counts.
   */
  error?: ProxyErrorCode;
  /**
   * What a translated `/v1/responses` request had to leave out (`tool:web_search`,
   * `item:web_search_call`, …); also sent to the client as `x-switchyard-omitted`.
   */
  omitted?: string[];
}

/** A model a backend can serve, as `/v1/models` lists it (without the backend prefix). */
export interface BackendModel {
  id: string;
  createdAt?: number;
}

/** A configured backend. */
export interface Backend {
  /** The name used in config and as the `name:` model prefix. */
  readonly name: string;
  readonly type: BackendConfig["type"];
  /** Serves one request. */
  handle(request: BackendRequest): Promise<BackendResult>;
  /** Models this backend reports; may ask the upstream (short timeout, cached). */
  listModels?(signal?: AbortSignalLike): Promise<BackendModel[]>;
  /** Live state of the backend's target pool (HTTP backends); never a URL or a key. */
  poolSnapshot?(): PoolSnapshot;
  /** Releases connections and child processes. */
  close?(): Promise<void>;
  /** Sign-in state of a backend with an `auth` block (expiry, never a token). */
  authStatus?(): Promise<BackendAuthStatus>;
  /**
   * Whether automatic routing should use this backend right now. Routes with a `fallback`
   * consult it; an explicit `name:` prefix ignores it. Absent means always preferred.
   */
  availability?(): BackendAvailability;
}

/** A backend's own view of whether automatic routing should send it traffic. */
export interface BackendAvailability {
  prefer: boolean;
  /** Why, for the request log and `/status` (never a secret). */
  reason: string;
}

/** Shared context every backend factory receives. */
export interface BackendContext {
  /** The proxy version, sent upstream as `user-agent: switchyard/<version>`. */
  version: string;
  /** Default upstream timeouts (a backend's own `timeouts` override them field by field). */
  timeouts: Required<TimeoutConfig>;
  logger: Logger;
  /** The proxy's home (`config.home`): backends keep their state files here, never in another home. */
  home: string;
}

/** A minimal logger; messages never carry secrets. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
