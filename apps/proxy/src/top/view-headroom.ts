import type { PoolSnapshot, TargetSnapshot } from "@switchyard/pool";
import { bar, columns, formatCount, formatDuration, formatPercent } from "./layout.js";
import type { TopView, ViewContext } from "./view-types.js";

function targetLine(t: TargetSnapshot, c: ViewContext): string {
  const { style, now } = c;
  const cooling = t.cooldownUntil !== null && t.cooldownUntil > now ? t.cooldownUntil : undefined;
  const state = cooling
    ? style.yellow(`cooling ${formatDuration(cooling - now)}`)
    : t.available
      ? style.green("ready")
      : style.yellow(t.availableAt ? `ready in ${formatDuration(t.availableAt - now)}` : "waiting");
  const breaker =
    t.breaker.state === "closed" ? "breaker closed" : style.red(`breaker ${t.breaker.state}`);
  const errors = t.counts.serverErrors + t.counts.connectionErrors;
  return (
    `  ${t.id}  ${state} · ${breaker} · health ${formatPercent(t.health)}` +
    ` · in flight ${t.inFlight} · ${t.counts.attempts} sent` +
    (t.counts.rateLimited ? ` · ${t.counts.rateLimited}×429` : "") +
    (errors ? ` · ${errors} errors` : "")
  );
}

function dimensionLines(t: TargetSnapshot, c: ViewContext): string[] {
  const dims = Object.entries(t.dimensions);
  if (dims.length === 0) return [c.style.dim("      no rate-limit headers seen yet")];
  // 53 = the other columns (5 + 12 + 4 + 13 + 14) and their 5 separators.
  const barWidth = Math.max(5, Math.min(30, c.width - 53));
  return dims.map(([name, d]) => {
    const resets = d.resetAt > c.now ? `resets ${formatDuration(d.resetAt - c.now)}` : "reset";
    const paint =
      d.headroom < 0.1 ? c.style.red : d.headroom < 0.3 ? c.style.yellow : c.style.green;
    return columns([
      ["", 5],
      [name, 12],
      [paint(bar(d.headroom, barWidth)), barWidth],
      [formatPercent(d.headroom), -4],
      [`${formatCount(d.remaining)}/${formatCount(d.limit)}`, -13],
      [resets, 14],
    ]);
  });
}

function poolLines(name: string, pool: PoolSnapshot, c: ViewContext): string[] {
  const lines = [
    c.style.bold(name) +
      `  ${pool.targets.length} target${pool.targets.length === 1 ? "" : "s"} · ${pool.queued} queued · ${pool.bindings} sticky`,
  ];
  for (const t of pool.targets) lines.push(targetLine(t, c), ...dimensionLines(t, c));
  return lines;
}

function countsLine(byStatus: Record<string, number> | undefined): string {
  if (byStatus === undefined) return "no requests";
  return Object.entries(byStatus)
    .map(([status, n]) => `${n}×${status}`)
    .join(" ");
}

/** View 3: each pooled backend's targets with headroom bars, reset countdowns, cooldowns, breakers. */
export const headroomView: TopView = {
  key: "3",
  title: "Headroom",
  needs: { pool: true },
  render(c) {
    const status = c.snapshot?.status;
    const pools = c.snapshot?.pool;
    if (pools === undefined) return { lines: [c.style.dim("waiting for the proxy…")] };
    const lines: string[] = [];
    for (const [name, pool] of Object.entries(pools)) lines.push(...poolLines(name, pool, c), "");
    const others = Object.keys(status?.backends ?? {}).filter((b) => !(b in pools));
    if (others.length > 0) {
      lines.push(c.style.bold("Not pooled (no headroom tracked)"));
      const byBackend = status?.requests?.byBackend ?? {};
      for (const name of others) {
        lines.push(
          columns([
            [`  ${name}`, 18],
            [countsLine(byBackend[name]), Math.max(10, c.width - 19)],
          ]),
        );
      }
    }
    if (lines.length === 0) lines.push(c.style.dim("no backends"));
    return { lines };
  },
};
