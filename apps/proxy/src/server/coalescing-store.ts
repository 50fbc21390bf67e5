import type { GuardState, GuardStateStore } from "@switchyard/overage-guard";

/** Options of {@link createCoalescingGuardStore}. */
export interface CoalescingGuardStoreOptions {
  /** Saves that change only spend wait this long and are merged. Default 1000 ms. */
  delayMs?: number;
  logger?: { warn(message: string, meta?: unknown): void };
  /**
   * Runs before each write of the state. The proxy flushes the usage log here, so the saved
   * spend never counts a request whose usage record is not on file yet.
   */
  beforeWrite?: () => Promise<void>;
}

/** A {@link GuardStateStore} that merges spend-only saves; `flush()` writes what is pending. */
export interface CoalescingGuardStore extends GuardStateStore {
  flush(): Promise<void>;
}

/**
 * Wraps the guard's state store so the hot path does not rewrite (and fsync) the state file on
 * every request. A save whose halts differ from the last written ones is written at once, so a
 * halt or a resume survives a crash right after it; a save that only moves spend is merged
 * into one write at most every `delayMs` (a crash loses at most that much spend accounting).
 */
export function createCoalescingGuardStore(
  inner: GuardStateStore,
  options: CoalescingGuardStoreOptions = {},
): CoalescingGuardStore {
  const { delayMs = 1000, logger = console, beforeWrite } = options;
  let writtenHalts: string | undefined;
  let pending: GuardState | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();

  const write = (state: GuardState): Promise<void> => {
    // A failed write is reported to its caller; the next one still runs.
    chain = chain
      .catch(() => {})
      .then(async () => {
        await beforeWrite?.();
        await inner.save(state);
        writtenHalts = JSON.stringify(state.halts);
      });
    return chain;
  };
  const writePending = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const state = pending;
    pending = undefined;
    return state === undefined ? chain : write(state);
  };

  return {
    async load() {
      const state = await inner.load();
      writtenHalts = JSON.stringify(state?.halts ?? []);
      return state;
    },
    save(state) {
      pending = state;
      if (JSON.stringify(state.halts) !== writtenHalts) return writePending();
      timer ??= setTimeout(() => {
        writePending().catch((error) => logger.warn("overage guard: saving state failed", error));
      }, delayMs);
      timer.unref?.();
      return Promise.resolve();
    },
    flush: () => writePending(),
  };
}
