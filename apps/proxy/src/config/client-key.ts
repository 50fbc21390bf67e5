/** The shortest client key accepted when the proxy listens beyond loopback. */
export const MIN_CLIENT_KEY_LENGTH = 24;

/** How to make a good client key, for refusal messages. */
export const CLIENT_KEY_ADVICE =
  "make one with `openssl rand -hex 32` (or `node -e \"console.log(require('node:crypto').randomBytes(32).toString('hex'))\"`) and set it as SWITCHYARD_API_KEY";

/** Words of placeholder keys copied from examples (`changeme`, `your-api-key-here`, …). */
const PLACEHOLDERS = [
  "changeme",
  "replaceme",
  "yourkey",
  "yourapikey",
  "apikeyhere",
  "placeholder",
  "example",
  "password",
  "secret",
  "dummy",
  "sk1234",
  "12345678",
  "qwerty",
  "xxxxxx",
  "here",
  "test",
];

/** A key with fewer characters than this besides placeholder words is a placeholder. */
const MIN_OWN_CHARS = 16;

/** Fewer distinct characters than this is a pattern, not a random key. */
const MIN_DISTINCT = 10;

/** True when most neighbouring characters step by one code point (`abcdef…`, `987654…`). */
function isSequential(key: string): boolean {
  let steps = 0;
  for (let i = 1; i < key.length; i++) {
    if (Math.abs(key.charCodeAt(i) - key.charCodeAt(i - 1)) === 1) steps++;
  }
  return steps >= (key.length - 1) * 0.6;
}

/**
 * Why `key` is too weak to guard a proxy others can reach, or `undefined` when it will do:
 * whitespace in it, shorter than {@link MIN_CLIENT_KEY_LENGTH}, a known placeholder, or a
 * pattern (few distinct characters, a run like `abcdef…`). Never echoes the key.
 *
 * @example
 * weakClientKeyReason("changeme"); // "it is 8 characters long; use at least 24"
 */
export function weakClientKeyReason(key: string): string | undefined {
  if (/\s/.test(key)) return "it contains whitespace";
  if (key.length < MIN_CLIENT_KEY_LENGTH) {
    return `it is ${key.length} character${key.length === 1 ? "" : "s"} long; use at least ${MIN_CLIENT_KEY_LENGTH}`;
  }
  let own = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  for (const word of PLACEHOLDERS) own = own.split(word).join("");
  if (own.length < MIN_OWN_CHARS) return "it is a placeholder";
  if (new Set(key).size < MIN_DISTINCT || isSequential(key)) return "it is a pattern, not random";
  return undefined;
}
