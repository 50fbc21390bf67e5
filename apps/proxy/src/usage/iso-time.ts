/** The last formatted millisecond: thousands of requests a second share a handful of them. */
let lastMs = Number.NaN;
let lastIso = "";

/** `new Date(ms).toISOString()`, reusing the string while the millisecond is the same. */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
