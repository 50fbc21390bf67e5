import stringWidth from "string-width";
import type { GuardBudgetView } from "../server/guard-routes.js";
import type { OverviewBody } from "../server/traffic-metrics.js";
import { bar, columns, formatDuration, formatPercent, formatUsd } from "./layout.js";
import type { TopView, ViewContext } from "./view-types.js";

/** `text` broken at spaces into lines of at most `width` columns. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    const next = current === "" ? word : `${current} ${word}`;
    if (stringWidth(next) <= width || current === "") current = next;
    else {
      out.push(current);
      current = word;
    }
  }
  if (current !== "") out.push(current);
  return out;
}

/** The recent spend rate ($/h) a budget counts, when the overview can tell it. */
function rateFor(budget: GuardBudgetView, overview: OverviewBody | undefined): number | undefined {
  if (overview === undefined) return undefined;
  if (budget.scope === undefined) return overview.totals.costPerHourUsd;
  const only = /^backend=(\S+)$/.exec(budget.scope);
  if (only) return overview.byBackend.find((g) => g.name === only[1])?.costPerHourUsd ?? 0;
  return undefined;
}

/** When the budget is crossed at the current rate: `in 12m`, `crossed`, or `-`. */
function projection(budget: GuardBudgetView, overview: OverviewBody | undefined): string {
  const left = budget.limitUsd - budget.spentUsd - budget.reservedUsd;
  if (left <= 0) return "crossed";
  const rate = rateFor(budget, overview);
  if (rate === undefined || rate <= 0) return "-";
  return `in ${formatDuration((left / rate) * 3_600_000)}`;
}

function budgetLine(b: GuardBudgetView, c: ViewContext): string {
  const used = b.limitUsd > 0 ? (b.spentUsd + b.reservedUsd) / b.limitUsd : 1;
  const paint = used >= 1 ? c.style.red : used >= 0.8 ? c.style.yellow : c.style.green;
  const barWidth = Math.max(5, Math.min(24, c.width - 62));
  return columns([
    [b.scope ? `${b.name} (${b.scope})` : b.name, Math.max(8, c.width - barWidth - 48)],
    [b.period, 7],
    [paint(bar(used, barWidth)), barWidth],
    [formatPercent(used), -5],
    [`${formatUsd(b.spentUsd)} / ${formatUsd(b.limitUsd)}`, -19],
    [projection(b, c.overview), 12],
  ]);
}

/** View 4: the overage guard: state, why it halted, each budget against its limit with a projection. */
export const guardView: TopView = {
  key: "4",
  title: "Guard",
  needs: { guard: true, overview: true },
  render(c) {
    const guard = c.snapshot?.guard;
    if (guard === undefined) return { lines: [c.style.dim("waiting for the proxy…")] };
    if (!guard.enabled) {
      return {
        lines: ["Overage guard: disabled (no budget is enforced; enable overageGuard in config)"],
      };
    }
    const halted = guard.state === "halted";
    const since = guard.since ? ` for ${formatDuration(c.now - Date.parse(guard.since))}` : "";
    const lines = [
      `Overage guard: enabled · behavior ${guard.behavior} · ` +
        (halted ? c.style.red(`HALTED${since}`) : c.style.green("ok")),
    ];
    if (halted) {
      lines.push(
        ...wrap(`Reason: ${guard.reason ?? "unknown"}`, c.width).map((l) => c.style.red(l)),
      );
      if (guard.cooldownUntil) {
        lines.push(`Lifts by itself in ${formatDuration(Date.parse(guard.cooldownUntil) - c.now)}`);
      }
      lines.push(c.style.bold("Press r to resume (asks first)."));
    }
    lines.push("");
    if (guard.budgets.length === 0) lines.push(c.style.dim("no budgets configured"));
    else {
      const barWidth = Math.max(5, Math.min(24, c.width - 62));
      lines.push(
        c.style.bold(
          columns([
            ["BUDGET", Math.max(8, c.width - barWidth - 48)],
            ["PERIOD", 7],
            ["USED", barWidth],
            ["", 5],
            ["SPENT / LIMIT", -19],
            ["AT THIS RATE", 12],
          ]),
        ),
        ...guard.budgets.map((b) => budgetLine(b, c)),
      );
    }
    return { lines };
  },
};
