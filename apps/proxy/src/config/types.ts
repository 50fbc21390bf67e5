/**
 * The config file shape (`config.json`) and the resolved config the server runs on.
 * This is the backbone other code relies on: extend it, don't break it.
 */

import type { OidcAuthConfig } from "../auth/oidc-config.js";

/** A credential reference: a literal key, `env:NAME`, or absent when the credential store holds it. */
export type SecretRef = string;

/** One upstream a backend may send to. A backend with a plain `baseUrl`/`apiKey` is a pool of one. */
export interface TargetConfig {
  /** Stable id used in logs and status; defaults to `<backend>#<index>`. */
  id?: string;
  baseUrl: string;
  apiKey?: SecretRef;
  /** Relative share of traffic when headroom is equal. Default 1. */
  weight?: number;
  /** Declared limits, used when the upstream sends no rate-limit headers. */
  limits?: { requestsPerMinute?: number; tokensPerMinute?: number };
}

/** Per-backend upstream timeouts in milliseconds. */
export interface TimeoutConfig {
  connectMs?: number;
  firstByteMs?: number;
  idleMs?: number;
  totalMs?: number;
}

interface HttpBackendBase {
  baseUrl?: string;
  apiKey?: SecretRef;
  targets?: TargetConfig[];
  /** Extra static headers sent upstream (never logged). */
  headers?: Record<string, string>;
  /** Models to list in `/v1/models` when the upstream cannot be asked. */
  models?: string[];
  timeouts?: TimeoutConfig;
  /** Sign in at an OIDC issuer instead of an API key: the proxy sends and renews a bearer token. */
  auth?: OidcAuthConfig;
}

export interface OpenAIBackendConfig extends HttpBackendBase {
  type: "openai";
  /**
   * Which field carries an Anthropic client's `max_tokens` upstream. Default
   * `max_completion_tokens` for api.openai.com (its reasoning models refuse `max_tokens`),
   * `max_tokens` for every other server.
   */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  /**
   * Whether an Anthropic client's thinking budget / `output_config.effort` is sent as
   * `reasoning_effort`: `auto` (default) only to reasoning models by name (`o1`…, `gpt-5`…,
   * `gpt-oss`…), since other models refuse the field; `send` always; `drop` never.
   */
  reasoningEffort?: "auto" | "send" | "drop";
  /**
   * How `/v1/responses` reaches this upstream: `native` forwards it to the upstream's own
   * `/responses` untouched (stateful features included); `chat` translates it to
   * `/chat/completions` (stateless). Default `native` for api.openai.com, `chat` otherwise.
   */
  responses?: "native" | "chat";
  /**
   * Models that answer only on the upstream's `/responses` (`true`: every model; or globs
   * such as `"gpt-5*-codex"`): Chat Completions and Anthropic Messages requests for them
   * are translated to `/responses` and back, streams included. Default for api.openai.com:
   * the Responses-only families (`*codex*`, `o1-pro*`, `o3-pro*`, `*deep-research*`,
   * `computer-use-preview*`); none elsewhere.
   */
  responsesOnly?: boolean | string[];
}

export interface AnthropicBackendConfig extends HttpBackendBase {
  type: "anthropic";
}

/** Options every CLI backend (`claude-code`, `codex`) takes. */
export interface CliBackendBase {
  /** Path to the CLI; default: `claude` / `codex` on PATH. */
  binary?: string;
  /** Extra arguments for every run. */
  args?: string[];
  /** Working directory of the child process. */
  cwd?: string;
  /** Maximum concurrent runs. Default 2. */
  concurrency?: number;
  /** Kill a run after this long. Default 600000. */
  timeoutMs?: number;
  models?: string[];
}

export interface ClaudeCodeBackendConfig extends CliBackendBase {
  type: "claude-code";
}

/**
 * The official Codex CLI (`codex exec --json`) under the user's own login (a ChatGPT plan).
 * `args` go after `exec`'s own flags; `cwd` defaults to `<switchyard home>/codex`.
 */
export interface CodexBackendConfig extends CliBackendBase {
  type: "codex";
}

export interface EchoBackendConfig {
  type: "echo";
}

/** Serves a recorded capture (HAR file from `switchyard capture`) offline. */
export interface ReplayBackendConfig {
  type: "replay";
  /** Path of the HAR file (a relative path is resolved against the proxy's working directory). */
  cassette: string;
  /** How a request finds its recorded answer. Default `normalized`. */
  match?: "exact" | "normalized" | "in-order";
  /** `recorded` replays streams with their recorded pacing; `fast` at full speed (default). */
  pacing?: "recorded" | "fast";
  /** A request with no recorded answer is an error naming the closest one (default true). */
  strict?: boolean;
}

export type BackendConfig =
  | OpenAIBackendConfig
  | AnthropicBackendConfig
  | ClaudeCodeBackendConfig
  | CodexBackendConfig
  | EchoBackendConfig
  | ReplayBackendConfig;

export type BackendType = BackendConfig["type"];

export interface RouteConfig {
  /** Glob on the request's model name (`*` any run of characters, `?` one character). */
  match: string;
  backend: string;
  /** Rewrite the model sent upstream. */
  model?: string;
  /**
   * Backend to use instead when `backend` reports it should be avoided for automatic routing
   * (e.g. a `claude-code` backend whose quota snapshot is missing, stale or exhausted).
   * An explicit `backend:model` prefix never falls back.
   */
  fallback?: string;
}

export interface BudgetConfig {
  name?: string;
  backend?: string;
  model?: string;
  limitUsd: number;
  period: "day" | "month" | "total";
}

export interface OverageGuardConfig {
  enabled?: boolean;
  behavior?: "halt" | "warn";
  cooldownMs?: number;
  notifyOs?: boolean;
}

/** USD per million tokens. */
export interface PriceConfig {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** What `config.json` may hold. Every field optional. */
export interface SwitchyardConfigFile {
  port?: number;
  host?: string;
  /** Key clients must present; required when binding a non-loopback host. */
  apiKey?: SecretRef;
  /** Browser origins allowed to call the proxy (exact match). */
  allowedOrigins?: string[];
  backends?: Record<string, BackendConfig>;
  routes?: RouteConfig[];
  defaultBackend?: string;
  budgets?: BudgetConfig[];
  overageGuard?: OverageGuardConfig;
  prices?: Record<string, PriceConfig>;
  /** Largest accepted request body in bytes. Default 32 MiB. */
  maxBodyBytes?: number;
  /** Default upstream timeouts for every HTTP backend. */
  timeouts?: TimeoutConfig;
  /** How long SIGINT/SIGTERM waits for in-flight requests. Default 10000. */
  shutdownGraceMs?: number;
  mcp?: { enableActions?: boolean };
}

/** How a key is supplied, safe to print: `literal`, `env:NAME`, `stored` (credential store), or `none`. */
export type KeySource = "literal" | `env:${string}` | "stored" | "none";

/** Where a resolved value came from (precedence: flag > env > file > default). */
export type ValueSource = "flag" | "env" | "file" | "default";

/** The config the server runs on: file merged with env and flags, secrets resolved. */
export interface ResolvedConfig {
  /** `$SWITCHYARD_HOME` or `~/.switchyard`. */
  home: string;
  /** The config file path used (it may not exist). */
  configPath: string;
  configFileExists: boolean;
  port: number;
  host: string;
  /** Resolved client key (never printed). */
  apiKey?: string;
  allowedOrigins: string[];
  /** Backends with `apiKey` refs resolved to values (never printed); always includes `echo`. */
  backends: Record<string, BackendConfig>;
  routes: RouteConfig[];
  defaultBackend?: string;
  budgets: BudgetConfig[];
  overageGuard: Required<OverageGuardConfig>;
  prices: Record<string, PriceConfig>;
  maxBodyBytes: number;
  timeouts: Required<TimeoutConfig>;
  shutdownGraceMs: number;
  verbose: boolean;
  mcp: { enableActions: boolean };
  /** Dotted path (`port`, `backends.groq.apiKey`, …) → where its value came from. */
  sources: Record<string, ValueSource>;
  /** Dotted key path (`apiKey`, `backends.groq.apiKey`, …) → how the key is supplied; safe to print. */
  keySources?: Record<string, KeySource>;
  /** Non-fatal problems found while loading (unknown keys and the like). */
  warnings?: string[];
  /**
   * Backends that cannot serve requests, with why (an `env:` key whose variable is not set).
   * The proxy still starts; requests routed to them get a non-retryable 400 that says why.
   */
  unavailableBackends?: Record<string, string>;
}
