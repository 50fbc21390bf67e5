/** Number and time formats shared by the views (plain text only). */

export const usd = (n: number | null | undefined) =>
  n === null || n === undefined
    ? "–"
    : n < 0.01 && n > 0
      ? `$${n.toPrecision(2)}`
      : `$${n.toFixed(2)}`;

export const num = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined
    ? "–"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits });

export const ms = (n: number | null | undefined) =>
  n === null || n === undefined
    ? "–"
    : n >= 1000
      ? `${(n / 1000).toFixed(2)} s`
      : `${Math.round(n)} ms`;

export const pct = (n: number) => `${(n * 100).toFixed(1)} %`;

/** `1h 20m`, `45s`: how long until `at` (ms since the epoch) from `now`. */
export function countdown(at: number, now: number): string {
  let s = Math.max(0, Math.round((at - now) / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** `12:03:04` local time of an ISO string or epoch ms. */
export const clock = (t: string | number) => new Date(t).toLocaleTimeString("en-GB");
