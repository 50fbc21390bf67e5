import {
  createOverageGuard,
  type GuardEvent,
  type GuardNotification,
  type GuardStateStore,
  type OverageGuard,
} from "@switchyard/overage-guard";
import type { ResolvedConfig } from "../config/types.js";
import { createFileGuardStateStore, guardStatePath } from "./guard-state-file.js";
import { createDesktopNotifier } from "./notify.js";

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
 * disabled. Already loaded: a halt from before a restart is in force.
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
  return guard;
}
