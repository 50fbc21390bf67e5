/**
 * C0 and C1 controls (ESC, BEL, CSI 0x9b, CR, …), DEL, and the Unicode format characters that
 * reorder or hide text (bidi overrides and isolates, zero-width joiners, BOM). Any of them in a
 * string a client chose (a model name) could move the cursor, retitle the terminal, clear the
 * screen or make one row impersonate another.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** The character an unsafe one is shown as: one column wide, plainly not what was sent. */
const REPLACEMENT = "?";

/** `text` with every control or reordering character replaced by `?`, safe to draw. */
export function sanitizeText(text: string): string {
  return text.replace(UNSAFE, REPLACEMENT);
}

/**
 * A copy of a parsed JSON value with {@link sanitizeText} applied to every string, keys
 * included: what `switchyard top` fetches passes through this once, so no view can forget.
 */
export function sanitizeDeep<T>(value: T): T {
  if (typeof value === "string") return sanitizeText(value) as T;
  if (Array.isArray(value)) return value.map((v) => sanitizeDeep(v)) as T;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[sanitizeText(k)] = sanitizeDeep(v);
    return out as T;
  }
  return value;
}
