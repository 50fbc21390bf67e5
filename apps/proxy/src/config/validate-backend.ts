import { checkAuth } from "../auth/oidc-config.js";
import type { FieldChecker } from "./validate-fields.js";

/** Backend kinds a config file may name. */
export const BACKEND_TYPES = [
  "openai",
  "anthropic",
  "claude-code",
  "codex",
  "echo",
  "replay",
] as const;

/** Backend names: no colon (it separates `backend:model`), no spaces, no slashes. */
export const BACKEND_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const HTTP_KEYS = ["type", "baseUrl", "apiKey", "targets", "headers", "models", "timeouts", "auth"];
/** Options of the OpenAI backend's translated `/v1/messages` path. */
const OPENAI_KEYS = [
  ...HTTP_KEYS,
  "maxTokensField",
  "reasoningEffort",
  "responses",
  "responsesOnly",
];
/** Options of the CLI backends (`claude-code`, `codex`). */
const CLAUDE_KEYS = ["type", "binary", "args", "cwd", "concurrency", "timeoutMs", "models"];
const TARGET_KEYS = ["id", "baseUrl", "apiKey", "weight", "limits"];
const TIMEOUT_KEYS = ["connectMs", "firstByteMs", "idleMs", "totalMs"] as const;

/** Check a `timeouts` object: each field a positive integer of milliseconds. */
export function checkTimeouts(c: FieldChecker, value: unknown, path: string): boolean {
  if (!c.object(value, path)) return false;
  c.unknownKeys(value, TIMEOUT_KEYS, path);
  for (const key of TIMEOUT_KEYS) {
    c.optional(value, key, path, (v, p) => c.integer(v, p, 1));
  }
  return true;
}

/** Check one `backends.<name>` entry. */
export function checkBackend(c: FieldChecker, value: unknown, name: string): void {
  const path = `backends.${name}`;
  if (!BACKEND_NAME.test(name)) {
    c.problem(
      path,
      "name must be letters, digits, '.', '_' or '-' (no ':'), at most 64 characters",
    );
  }
  if (!c.object(value, path)) return;
  if (!c.oneOf(value.type, `${path}.type`, BACKEND_TYPES)) return;
  if (value.type === "echo") {
    c.unknownKeys(value, ["type"], path);
    return;
  }
  if (value.type === "replay") {
    c.unknownKeys(value, ["type", "cassette", "match", "pacing", "strict"], path);
    c.string(value.cassette, `${path}.cassette`);
    c.optional(value, "match", path, (v, p) =>
      c.oneOf(v, p, ["exact", "normalized", "in-order"] as const),
    );
    c.optional(value, "pacing", path, (v, p) => c.oneOf(v, p, ["recorded", "fast"] as const));
    c.optional(value, "strict", path, (v, p) => c.boolean(v, p));
    return;
  }
  if (value.type === "claude-code" || value.type === "codex") {
    c.unknownKeys(value, CLAUDE_KEYS, path);
    c.optional(value, "binary", path, (v, p) => c.string(v, p));
    c.optional(value, "args", path, (v, p) => c.stringArray(v, p));
    c.optional(value, "cwd", path, (v, p) => c.string(v, p));
    c.optional(value, "concurrency", path, (v, p) => c.integer(v, p, 1));
    c.optional(value, "timeoutMs", path, (v, p) => c.integer(v, p, 1));
    c.optional(value, "models", path, (v, p) => c.stringArray(v, p));
    return;
  }
  c.unknownKeys(value, value.type === "openai" ? OPENAI_KEYS : HTTP_KEYS, path);
  if (value.type === "openai") {
    c.optional(value, "maxTokensField", path, (v, p) =>
      c.oneOf(v, p, ["max_tokens", "max_completion_tokens"] as const),
    );
    c.optional(value, "reasoningEffort", path, (v, p) =>
      c.oneOf(v, p, ["auto", "send", "drop"] as const),
    );
    c.optional(value, "responses", path, (v, p) => c.oneOf(v, p, ["native", "chat"] as const));
    c.optional(value, "responsesOnly", path, (v, p) =>
      typeof v === "boolean" ? true : c.stringArray(v, p),
    );
  }
  c.optional(value, "baseUrl", path, (v, p) => c.url(v, p));
  c.optional(value, "apiKey", path, (v, p) => c.secretRef(v, p));
  c.optional(value, "headers", path, (v, p) => c.stringRecord(v, p));
  c.optional(value, "models", path, (v, p) => c.stringArray(v, p));
  c.optional(value, "timeouts", path, (v, p) => checkTimeouts(c, v, p));
  c.optional(value, "auth", path, (v, p) => checkAuth(c, v, p));
  if (value.auth !== undefined && value.type === "openai" && value.apiKey !== undefined) {
    c.problem(
      `${path}.apiKey`,
      "cannot be combined with auth (the sign-in supplies the Authorization header)",
    );
  }
  if (value.targets !== undefined) checkTargets(c, value.targets, `${path}.targets`);
}

function checkTargets(c: FieldChecker, value: unknown, path: string): void {
  if (!Array.isArray(value) || value.length === 0) {
    c.fail(path, "a non-empty array of { baseUrl, apiKey?, weight? }", value);
    return;
  }
  const ids = new Set<string>();
  value.forEach((target, i) => {
    const p = `${path}[${i}]`;
    if (!c.object(target, p)) return;
    c.unknownKeys(target, TARGET_KEYS, p);
    c.url(target.baseUrl, `${p}.baseUrl`);
    c.optional(target, "id", p, (v, q) => {
      if (!c.string(v, q)) return false;
      // The pool keys its state by id.
      if (ids.has(v)) c.problem(q, `"${v}" is used by another target of this backend`);
      ids.add(v);
      return true;
    });
    c.optional(target, "apiKey", p, (v, q) => c.secretRef(v, q));
    // The pool shares traffic by weight: 0 would never be chosen.
    c.optional(target, "weight", p, (v, q) => {
      if (v !== 0) return c.number(v, q, 0);
      c.fail(q, "a number > 0", v);
      return false;
    });
    c.optional(target, "limits", p, (v, q) => {
      if (!c.object(v, q)) return false;
      c.unknownKeys(v, ["requestsPerMinute", "tokensPerMinute"], q);
      c.optional(v, "requestsPerMinute", q, (w, r) => c.integer(w, r, 1));
      c.optional(v, "tokensPerMinute", q, (w, r) => c.integer(w, r, 1));
      return true;
    });
  });
}
