import {
  type BudgetPeriod,
  createOverageGuard,
  type GuardEvent,
  type GuardNotification,
  type GuardStateStore,
  type OverageGuard,
} from "@switchyard/overage-guard";
import type { ResolvedConfig } from "../config/types.js";
import { createFileGuardStateStore, guardStatePath } from "./guard-state-file.js";
import { createDesktopNotifier } from "./notify.js";
import { readUsageRecords } from "./read-usage.js";
import { usageLogDir } from "./usage-fs.js";

/** Options of {@link createGuardFromConfig}. */
export interface GuardFromConfigOptions {
  now?: () => number;
  onEvent?: (event: GuardEvent) => void;
  /** Replaces the default bell + desktop notifier (tests, embedding). */
  notify?: (notification: GuardNotification) => void;
  logger?: { warn(message: string, meta?: unknown): void };
  /** Wraps the `<home>/guard-state.json` store (the server merges spend-only saves). */
  wrapStore?: (store: GuardStateStore) => GuardStateStore;
}

/**
 * The proxy's overage guard from resolved config: `budgets`, `overageGuard.behavior` and
 * `cooldownMs`, state persisted in `<home>/guard-state.json`, the terminal bell always and a
 * desktop notification when `overageGuard.notifyOs`. Returns undefined when the guard is
 * disabled. Already loaded: a halt from before a restart is in force, and every completed
 * request in the usage log counts against the budgets (the saved spend may lag the log after
 * a kill -9; spend never goes backwards).
 */
export async function createGuardFromConfig(
  config: Pick<ResolvedConfig, "home" | "budgets" | "overageGuard">,
  options: GuardFromConfigOptions = {},
): Promise<OverageGuard | undefined> {
  if (!config.overageGuard.enabled) return undefined;
  const logger = options.logger ?? console;
  const guard = createOverageGuard({
    budgets: config.budgets,
    behavior: config.overageGuard.behavior,
    cooldownMs: config.overageGuard.cooldownMs,
    store: (options.wrapStore ?? ((store) => store))(
      createFileGuardStateStore({ path: guardStatePath(config.home), logger }),
    ),
    notify:
      options.notify ?? createDesktopNotifier({ desktop: config.overageGuard.notifyOs, logger }),
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  await guard.load();
  if (config.budgets.length > 0) await accountUsageLog(guard, config, options.now ?? Date.now);
  return guard;
}

/** Start of the oldest current budget period (undefined: a `total` budget needs all history). */
function oldestPeriodStart(periods: BudgetPeriod[], t: number): number | undefined {
  if (periods.includes("total")) return undefined;
  const d = new Date(t);
  return periods.includes("month")
    ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
    : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/** Feeds the usage log's billed requests of the budgets' current periods to the guard. */
async function accountUsageLog(
  guard: OverageGuard,
  config: Pick<ResolvedConfig, "home" | "budgets">,
  now: () => number,
): Promise<void> {
  const since = oldestPeriodStart(
    config.budgets.map((b) => b.period),
    now(),
  );
  const { records } = await readUsageRecords({
    dir: usageLogDir(config.home),
    // A file last written before the period began holds nothing of it (minus clock slack).
    ...(since === undefined ? {} : { modifiedSince: since - 60_000 }),
  });
  // The gate commits spend only for answers below 400 (see guard-gate.ts).
  guard.restoreSpend(
    records.filter(
      (r) => r.status < 400 && typeof r.costUsd === "number" && r.costUsd > 0,
    ) as ((typeof records)[number] & { costUsd: number })[],
  );
}
