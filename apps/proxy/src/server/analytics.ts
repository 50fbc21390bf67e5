import {
  aggregateUsage,
  parseSince,
  USAGE_GROUPS,
  type UsageGroupBy,
  type UsageRow,
  type UsageTotals,
  usagePeriod,
} from "../usage/aggregate.js";
import { readUsageRecords } from "../usage/read-usage.js";
import type { AdminHandler } from "./admin.js";
import { ProxyError } from "./proxy-error.js";

/** The body of `GET /analytics`: the same aggregates `switchyard usage` prints. */
export interface AnalyticsBody {
  since: string;
  until: string;
  by: UsageGroupBy;
  rows: UsageRow[];
  totals: UsageTotals;
}

/** Options of {@link createAnalyticsHandler}. */
export interface AnalyticsHandlerOptions {
  /** The usage log directory (`<home>/usage`). */
  dir: string;
  /** Resolves once every queued usage record is written (so a reply includes them). */
  flush?: () => Promise<void>;
  now?: () => number;
}

function parseTime(name: string, value: string | null, now: number): number | undefined {
  if (value === null || value === "") return undefined;
  const t = parseSince(value, now);
  if (t === undefined) {
    throw new ProxyError(
      "bad_request",
      `${name} must be an ISO date/time (2026-11-01, 2026-11-01T09:00:00Z) or a duration back from now (24h, 7d, 2w)`,
      { param: name },
    );
  }
  return t;
}

/**
 * `GET /analytics?since=&until=&by=backend|model|session|day`: usage-log records in
 * `[since, until)` grouped like `switchyard usage` groups them. `since` defaults to the start of
 * the UTC month, `until` to now, `by` to `backend`.
 */
export function createAnalyticsHandler(options: AnalyticsHandlerOptions): AdminHandler {
  const { dir, flush, now = Date.now } = options;
  return async ({ query, sink }) => {
    const t = now();
    const rawBy = query.get("by") ?? "backend";
    if (!USAGE_GROUPS.includes(rawBy as UsageGroupBy)) {
      throw new ProxyError("bad_request", `by must be one of ${USAGE_GROUPS.join(", ")}`, {
        param: "by",
      });
    }
    const by = rawBy as UsageGroupBy;
    const since = parseTime("since", query.get("since"), t) ?? usagePeriod("month", t).since;
    const explicitUntil = parseTime("until", query.get("until"), t);
    const until = explicitUntil ?? t;
    if (until < since) {
      throw new ProxyError("bad_request", "until must not be before since", { param: "until" });
    }
    await flush?.();
    const { records } = await readUsageRecords({ dir });
    // An explicit `until` is exclusive; the default "now" still counts this millisecond.
    const end = explicitUntil ?? t + 1;
    const { rows, total } = aggregateUsage(records, { since, until: end, by });
    const body: AnalyticsBody = {
      since: new Date(since).toISOString(),
      until: new Date(until).toISOString(),
      by,
      rows,
      totals: total,
    };
    sink.json(200, body);
  };
}
