import cliTruncate from "cli-truncate";
import stringWidth from "string-width";

/** SGR styling that a frame may use; all identity when colour is off (`NO_COLOR`). */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  inverse(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

/** Styles with ANSI colour, or plain ones. */
export function createStyle(color: boolean): Style {
  if (!color) {
    const id = (s: string) => s;
    return { bold: id, dim: id, inverse: id, red: id, green: id, yellow: id };
  }
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    inverse: sgr(7, 27),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
  };
}

/** `text` cut (with `…`) or padded with spaces to exactly `width` terminal columns. */
export function fit(text: string, width: number): string {
  if (width <= 0) return "";
  const cut = stringWidth(text) > width ? cliTruncate(text, width) : text;
  return cut + " ".repeat(Math.max(0, width - stringWidth(cut)));
}

/** `text` right-aligned in `width` columns (cut when longer). */
export function fitRight(text: string, width: number): string {
  const w = stringWidth(text);
  return w >= width ? fit(text, width) : " ".repeat(width - w) + text;
}

/** Cells laid out left to right in the given widths (a negative width right-aligns), one space apart. */
export function columns(cells: ReadonlyArray<readonly [string, number]>): string {
  return cells.map(([text, w]) => (w < 0 ? fitRight(text, -w) : fit(text, w))).join(" ");
}

/** A horizontal bar of `width` cells, `fraction` (0–1) of them full. */
export function bar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const full = Math.round(f * width);
  return "█".repeat(full) + "░".repeat(Math.max(0, width - full));
}

const TICKS = "▁▂▃▄▅▆▇█";

/** A sparkline of the last `width` values, scaled to their maximum. */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(Math.max(0, values.length - width));
  const max = Math.max(0, ...shown);
  return shown
    .map((v) => (max === 0 || v <= 0 ? " " : TICKS[Math.min(7, Math.floor((v / max) * 7.999))]))
    .join("");
}

/** A rate with a unit that keeps it short: `0.25`, `12.5`, `1.2k`, `3.4M`. */
export function formatRate(n: number): string {
  if (!Number.isFinite(n) || n === 0) return "0";
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** US dollars with enough digits for per-request costs: `$0.0020`, `$1.25`, `$1,204`. */
export function formatUsd(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "-";
  if (n === 0) return "$0";
  if (n >= 1000) return `$${Math.round(n).toLocaleString("en-US")}`;
  if (n >= 0.1) return `$${n.toFixed(2)}`;
  return `$${n.toFixed(4)}`;
}

/** Milliseconds as `850ms`, `1.2s`, `3m05s`; `-` when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return formatDuration(ms);
}

/** A duration as `45s`, `3m05s`, `2h07m`, `3d04h` (a countdown or an uptime). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m}m` : `${m}m${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, "0")}h`;
}

/** A token count as `850`, `1.5k`, `2.0M`. */
export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return "-";
  return n < 1000 ? String(Math.round(n)) : formatRate(n);
}

/** A percentage of a 0–1 fraction: `12%`, `0.5%`. */
export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  return p > 0 && p < 1 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}
