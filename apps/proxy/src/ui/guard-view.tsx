import { useEffect, useState } from "preact/hooks";
import { getJson, postAdmin } from "./api.js";
import { clock, countdown, usd } from "./format.js";
import { useNow, usePoll } from "./hooks.js";
import type { LiveStore } from "./live.js";
import type { GuardView as GuardBody, OverviewBody } from "./types.js";

type Budget = GuardBody["budgets"][number];

/** When the budget's UTC period ends (ms), or undefined for `total`. */
export function periodEnd(period: Budget["period"], now: number): number | undefined {
  const d = new Date(now);
  if (period === "day") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  if (period === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return undefined;
}

const globMatch = (glob: string, name: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(name);

/** USD per hour over the last hour for the traffic a budget counts. */
export function rateFor(budget: Budget, overview: OverviewBody | undefined): number {
  if (overview === undefined) return 0;
  const scope = Object.fromEntries(
    (budget.scope ?? "")
      .split(" ")
      .filter(Boolean)
      .map((p) => p.split("=") as [string, string]),
  );
  if (scope.backend !== undefined && scope.model === undefined) {
    return overview.byBackend.find((g) => g.name === scope.backend)?.costPerHourUsd ?? 0;
  }
  if (scope.model !== undefined) {
    return overview.byModel
      .filter((g) => globMatch(scope.model ?? "*", g.name))
      .reduce((sum, g) => sum + g.costPerHourUsd, 0);
  }
  return overview.totals.costPerHourUsd;
}

/** One line on when the budget's limit is crossed at the current rate. */
export function projection(budget: Budget, rate: number, now: number): string {
  const left = budget.limitUsd - budget.spentUsd;
  if (left <= 0) return "limit reached";
  if (rate <= 0) return "no spend in the last hour: not projected to cross";
  const at = now + (left / rate) * 3_600_000;
  const end = periodEnd(budget.period, now);
  if (end !== undefined && at >= end)
    return `at ${usd(rate)}/h: stays under the limit this ${budget.period}`;
  return `at ${usd(rate)}/h: crosses the limit in ${countdown(at, now)} (${clock(at)})`;
}

/** Guard: each budget against its limit with a projection, the halt and its reason, Resume. */
export function GuardView(props: { live: LiveStore }) {
  const guard = usePoll(() => getJson<GuardBody>("/guard"), 3000);
  const overview = usePoll(() => getJson<OverviewBody>("/overview?window=1h"), 10_000);
  const now = useNow(1000);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const { refresh } = guard;
  useEffect(() => props.live.onGuardEvent(refresh), [props.live, refresh]);
  const g = guard.data;
  const resume = async () => {
    setBusy(true);
    try {
      const body = await postAdmin<{ resumed: boolean; halts: unknown[] }>("/admin/resume");
      setMessage(`resumed: ${body.halts.length} halt(s) lifted`);
    } catch (e) {
      setMessage(`resume failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
      refresh();
    }
  };
  return (
    <div>
      <div class="toolbar">
        <h2>Guard</h2>
      </div>
      {guard.error && <p class="error">{guard.error}</p>}
      {g && !g.enabled && <p class="muted">The overage guard is off (overageGuard.enabled).</p>}
      {g && (
        <section class={`card guard-state ${g.state}`} id="guard-state">
          <h3>
            {g.state === "halted" ? "Halted" : "Serving"}{" "}
            <span class="muted">behavior: {g.behavior}</span>
          </h3>
          {g.state === "halted" && (
            <>
              <p class="reason" id="halt-reason">
                {g.reason}
              </p>
              <p class="muted">
                since {g.since ? clock(g.since) : "–"}
                {g.cooldownUntil
                  ? ` · lifts by itself in ${countdown(Date.parse(g.cooldownUntil), now)}`
                  : " · until resumed"}
              </p>
            </>
          )}
          <button
            type="button"
            id="resume"
            disabled={busy || g.state !== "halted"}
            onClick={resume}
          >
            Resume
          </button>
          {message && <p class="muted">{message}</p>}
        </section>
      )}
      {g && g.budgets.length > 0 && (
        <section class="card">
          <h3>Budgets</h3>
          {g.budgets.map((b) => {
            const used = b.limitUsd > 0 ? Math.min(1, b.spentUsd / b.limitUsd) : 0;
            return (
              <div class="budget" key={b.name}>
                <div class="bar-row">
                  <span class="bar-label">
                    {b.name}{" "}
                    <span class="muted">
                      {b.period}
                      {b.scope ? ` · ${b.scope}` : ""}
                    </span>
                  </span>
                  <progress
                    class={`bar ${used >= 1 ? "low" : used > 0.8 ? "mid" : "ok"}`}
                    max={1}
                    value={used}
                  />
                  <span class="bar-note">
                    {usd(b.spentUsd)} of {usd(b.limitUsd)}
                    {b.reservedUsd > 0 ? ` (+${usd(b.reservedUsd)} in flight)` : ""}
                  </span>
                </div>
                <p class="muted projection">{projection(b, rateFor(b, overview.data), now)}</p>
              </div>
            );
          })}
        </section>
      )}
    </div>
  );
}
