/** What {@link createRedactor} takes. */
export interface RedactorOptions {
  /** Exact values that must never appear (e.g. the configured API key). Empty strings are ignored. */
  secrets?: Array<string | undefined>;
  /** Replacement text. Default `"[redacted]"`. */
  replacement?: string;
}

/** Deeply copies a value with every secret-looking field and value replaced. */
export type Redactor = <T>(value: T) => T;

/** The placeholder written where a secret was. */
export const REDACTED = "[redacted]";

// A field whose name says it holds a credential. `hasKey` (a boolean) and `inputTokens`
// (a number) match by name but are kept because only string/object values are replaced.
// A bare `key` is not matched: analytics rows use it for the group name.
const SECRET_NAME =
  /(api[-_]?key|access[-_]?key|private[-_]?key|[-_]key$|token|secret|passw(or)?d|authorization|credential|cookie|bearer|signature)/i;

// Key shapes common upstreams hand out, caught even under an innocent field name.
const SECRET_VALUE_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI / Anthropic (sk-ant-...) / OpenRouter (sk-or-...)
  /\bgsk_[A-Za-z0-9]{8,}/g, // Groq
  /\bxai-[A-Za-z0-9]{8,}/g, // xAI
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google
  /\b(ghp|gho|ghu|ghs|github_pat)_[A-Za-z0-9_]{8,}/g, // GitHub
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, // an Authorization header value
];

function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** True when a field of this name holds a credential (by name only). */
export function isSecretFieldName(name: string): boolean {
  return isSecretName(name);
}

/**
 * Creates a function that deep-copies JSON-like data, replacing every string or object under a
 * secret-looking field name, every occurrence of a known secret, and every key-shaped string.
 * Defensive by design: it does not trust the proxy to have redacted anything.
 *
 * @example
 * const redact = createRedactor({ secrets: [process.env.SWITCHYARD_API_KEY] });
 * redact({ name: "groq", apiKey: "gsk_..." }); // { name: "groq", apiKey: "[redacted]" }
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const { replacement = REDACTED } = options;
  // Longest first so a secret that contains another is replaced whole.
  const secrets = [...new Set((options.secrets ?? []).filter((s): s is string => !!s))].sort(
    (a, b) => b.length - a.length,
  );

  const redactString = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join(replacement);
    for (const pattern of SECRET_VALUE_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return redactString(value);
    if (value === null || typeof value !== "object") return value;
    if (depth > 64) return replacement;
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      const safeName = redactString(name);
      out[safeName] =
        isSecretName(name) && (typeof item === "string" || (typeof item === "object" && item))
          ? replacement
          : walk(item, depth + 1);
    }
    return out;
  };

  return <T>(value: T): T => walk(value, 0) as T;
}
