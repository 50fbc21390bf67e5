/** Words that make a field a credential by its name (`apikey`, `api_key`, `authToken`, …). */
const SECRET_WORDS = new Set([
  "apikey",
  "key",
  "token",
  "secret",
  "password",
  "passwd",
  "pass",
  "pwd",
  "auth",
  "authorization",
  "credential",
  "credentials",
  "bearer",
  "cookie",
  "sig",
  "signature",
  "private",
  "session",
]);

/** A printed key source (`literal`, `stored`, `none`, `env:NAME`): says how, never what. */
const KEY_SOURCE = /^(?:literal|stored|none|env:[A-Za-z_][A-Za-z0-9_]*)$/;

/** Well-known credential formats: provider key prefixes, JWTs, bearer values, AWS key ids. */
const SECRET_SHAPES = [
  /^(?:sk|rk|pk)[-_][A-Za-z0-9_-]{12,}/, // OpenAI, Anthropic (sk-ant-), Stripe-style
  /^(?:gsk|xai|hf|ghp|gho|ghs|github_pat|glpat|or|fw)[-_][A-Za-z0-9_-]{12,}/i,
  /^AIza[0-9A-Za-z_-]{20,}/, // Google API key
  /^AKIA[0-9A-Z]{16}$/, // AWS access key id
  /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./, // JWT
  /^(?:bearer|basic)\s+\S{8,}/i,
];

/** Lowercased words of a field name: `apiKey` → `api`,`key`; `x-api-key` → `x`,`api`,`key`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** True when a field of this name holds a credential (`apikey`, `token`, `clientSecret`, …). */
export function isSecretName(name: string): boolean {
  const parts = words(name);
  return parts.some((w) => SECRET_WORDS.has(w)) || SECRET_WORDS.has(parts.join(""));
}

/** Bits of Shannon entropy per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * True when a string value looks like a credential whatever field holds it: a known key
 * format, or a long random-looking token (32+ characters of one "word", letters and digits
 * mixed, high entropy; URLs, paths and model names have separators and do not qualify).
 */
export function looksLikeSecret(value: string): boolean {
  const v = value.trim();
  if (SECRET_SHAPES.some((shape) => shape.test(v))) return true;
  if (v.length < 32 || !/^[A-Za-z0-9_+=-]+$/.test(v)) return false;
  return /[0-9]/.test(v) && /[A-Za-z]/.test(v) && entropy(v) >= 3.5;
}

/**
 * A deep copy of `value` where every string that is a credential by its field's name or by
 * its shape is replaced with `placeholder`. Key sources (`env:NAME`, `literal`, …) stay.
 */
export function redactSecretsDeep(value: unknown, placeholder: string, name = ""): unknown {
  if (typeof value === "string") {
    if (KEY_SOURCE.test(value) && (name === "" || isSecretName(name))) return value;
    return (name !== "" && isSecretName(name)) || looksLikeSecret(value) ? placeholder : value;
  }
  if (Array.isArray(value)) return value.map((v) => redactSecretsDeep(v, placeholder, name));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactSecretsDeep(v, placeholder, k)]),
    );
  }
  return value;
}
