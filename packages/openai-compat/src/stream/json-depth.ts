/**
 * Tracks whether a JSON value streamed in fragments is complete, looking only at each new
 * fragment once (no re-parse of the whole text per fragment).
 */
export interface JsonDepthTracker {
  /** Scans one more fragment of the JSON text. */
  feed(fragment: string): void;
  /** True once a top-level object or array has opened and closed again. */
  readonly complete: boolean;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** Creates a {@link JsonDepthTracker}. */
export function createJsonDepthTracker(): JsonDepthTracker {
  let depth = 0;
  let opened = false;
  let inString = false;
  let escaped = false;
  // `complete` is a data property refreshed after each fragment (no per-instance accessor).
  const tracker: { feed(fragment: string): void; complete: boolean } = {
    complete: false,
    feed(fragment) {
      for (let i = 0; i < fragment.length; i++) {
        const c = fragment.charCodeAt(i);
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
        } else if (c === QUOTE) inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          depth++;
          opened = true;
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
      }
      tracker.complete = opened && depth <= 0 && !inString;
    },
  };
  return tracker;
}
