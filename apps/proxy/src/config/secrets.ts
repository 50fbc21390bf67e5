import { ConfigError } from "./errors.js";
import type { SwitchyardEnv } from "./home.js";
import type { KeySource } from "./types.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variable name of an `env:NAME` reference, or `undefined` for a literal. */
export function envRefName(ref: string): string | undefined {
  return ref.startsWith("env:") ? ref.slice(4) : undefined;
}

/** True when `ref` is a well-formed secret reference (a non-empty literal or `env:NAME`). */
export function isValidSecretRef(ref: unknown): ref is string {
  if (typeof ref !== "string" || ref.trim() === "") return false;
  const name = envRefName(ref);
  return name === undefined || ENV_NAME.test(name);
}

/** How `ref` supplies its key, for redacted display. */
export function describeSecretRef(ref: string | undefined, stored = false): KeySource {
  if (ref === undefined) return stored ? "stored" : "none";
  const name = envRefName(ref);
  return name === undefined ? "literal" : `env:${name}`;
}

/**
 * Resolve a literal or `env:NAME` reference to its value.
 * `owner` names what holds the reference in an error (e.g. `backend groq`).
 */
export function resolveSecretRef(options: {
  ref: string;
  env: SwitchyardEnv;
  owner: string;
  hint?: string;
}): string {
  const { ref, env, owner, hint } = options;
  const name = envRefName(ref);
  if (name === undefined) return ref;
  const value = env[name];
  if (value === undefined || value === "") {
    throw new ConfigError({
      code: "missing_env",
      message: `${owner}: apiKey refers to environment variable ${name}, which is not set${hint ? ` (${hint})` : ""}`,
    });
  }
  return value;
}
