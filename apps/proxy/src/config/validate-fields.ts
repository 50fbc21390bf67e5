import type { ConfigIssue } from "./errors.js";
import { isSecretName } from "./secret-shape.js";
import { isValidSecretRef } from "./secrets.js";
import { suggest } from "./suggest.js";
import { describeUrlValue, describeValue, isHttpUrl } from "./values.js";

/** Collects bad fields and unknown-key warnings while walking a config object. */
export class FieldChecker {
  readonly issues: ConfigIssue[] = [];
  readonly warnings: string[] = [];

  /**
   * Record `path must be <expected>, got <value>`. A string is not shown when the field holds
   * a credential (`apiKey`, `headers`, `token`, …) or looks like one.
   */
  fail(path: string, expected: string, value: unknown): void {
    const got = describeValue(value, { secret: holdsSecret(path) });
    this.issues.push({ path, message: `must be ${expected}, got ${got}` });
  }

  /** Record a free-form problem at `path`. */
  problem(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** Warn about keys of `obj` not in `known`. */
  unknownKeys(obj: Record<string, unknown>, known: readonly string[], prefix: string): void {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) {
        const hint = suggest(key, known);
        const also = hint === undefined ? "" : `; did you mean "${hint}"?`;
        this.warnings.push(`unknown key ${prefix ? `${prefix}.` : ""}${key} (ignored${also})`);
      }
    }
  }

  object(value: unknown, path: string): value is Record<string, unknown> {
    if (isPlainObject(value)) return true;
    this.fail(path, "an object", value);
    return false;
  }

  string(value: unknown, path: string): value is string {
    if (typeof value === "string" && value !== "") return true;
    this.fail(path, "a non-empty string", value);
    return false;
  }

  boolean(value: unknown, path: string): value is boolean {
    if (typeof value === "boolean") return true;
    this.fail(path, "true or false", value);
    return false;
  }

  /** An integer in [min, max]. */
  integer(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): value is number {
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) {
      return true;
    }
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    this.fail(path, `an integer ${range}`, value);
    return false;
  }

  /** A finite number >= min. */
  number(value: unknown, path: string, min = 0): value is number {
    if (typeof value === "number" && Number.isFinite(value) && value >= min) return true;
    this.fail(path, `a number >= ${min}`, value);
    return false;
  }

  /** An http(s) URL; a bad value is shown only when written as a URL, its secrets masked. */
  url(value: unknown, path: string): value is string {
    if (isHttpUrl(value)) return true;
    this.problem(path, `must be an http(s) URL, got ${describeUrlValue(value)}`);
    return false;
  }

  secretRef(value: unknown, path: string): value is string {
    if (isValidSecretRef(value)) return true;
    // Never echo a string here: it may be a key pasted in the wrong form.
    const got =
      typeof value === "string"
        ? value
          ? "a malformed env: reference"
          : '""'
        : describeValue(value);
    this.problem(path, `must be a key or "env:NAME" (NAME: letters, digits, _), got ${got}`);
    return false;
  }

  stringArray(value: unknown, path: string): value is string[] {
    if (Array.isArray(value) && value.every((v) => typeof v === "string" && v !== "")) return true;
    this.fail(path, "an array of non-empty strings", value);
    return false;
  }

  stringRecord(value: unknown, path: string): value is Record<string, string> {
    if (isPlainObject(value) && Object.values(value).every((v) => typeof v === "string")) {
      return true;
    }
    this.fail(path, "an object of string values", value);
    return false;
  }

  oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): value is T {
    if (typeof value === "string" && (options as readonly string[]).includes(value)) return true;
    this.fail(path, `one of ${options.map((o) => `"${o}"`).join(", ")}`, value);
    return false;
  }

  /** Check `obj[key]` with `check` only when present. */
  optional(
    obj: Record<string, unknown>,
    key: string,
    prefix: string,
    check: (value: unknown, path: string) => boolean,
  ): void {
    if (obj[key] !== undefined) check(obj[key], prefix ? `${prefix}.${key}` : key);
  }
}

/**
 * True when the field at `path` (`backends.x.headers`, `backends.x.targets[0].apiKey`) holds a
 * credential: its own name says so, or it is (inside) a backend's `headers`. A backend's `auth`
 * is an object of settings (`"auth": "oidc"` is worth quoting back); a key-shaped string there
 * is still hidden by its shape.
 */
function holdsSecret(path: string): boolean {
  const fields = path.split(".").map((f) => f.replace(/\[\d+\]$/, ""));
  const last = fields[fields.length - 1] ?? "";
  return (last !== "auth" && isSecretName(last)) || fields.slice(2).includes("headers");
}

/** True for `{...}` (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
