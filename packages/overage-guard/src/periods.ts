/** Budget periods. Boundaries are UTC: a day starts 00:00Z, a month on the 1st at 00:00Z. */
export type BudgetPeriod = "day" | "month" | "total";

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Key of the period containing `time` (`2026-11-21`, `2026-11`, or `total`). */
export function periodKey(period: BudgetPeriod, time: number): string {
  if (period === "total") return "total";
  const d = new Date(time);
  const month = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
  return period === "month" ? month : `${month}-${pad(d.getUTCDate())}`;
}

/** Start (ms) of the period containing `time`; `total` starts at 0. */
export function periodStart(period: BudgetPeriod, time: number): number {
  if (period === "total") return 0;
  const d = new Date(time);
  return period === "month"
    ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
    : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/** End (ms, exclusive) of the period containing `time`; `total` never ends (`Infinity`). */
export function periodEnd(period: BudgetPeriod, time: number): number {
  if (period === "total") return Number.POSITIVE_INFINITY;
  const d = new Date(time);
  return period === "month"
    ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
    : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}
