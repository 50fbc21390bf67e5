import { createEmitter, type Listener } from "./emitter.js";
import type { PoolEvents } from "./events.js";
import { availableAt, breakerState } from "./headroom.js";
import { hash32 } from "./internal/hash.js";
import {
  applyObservation,
  type BreakerChange,
  capExhaustedWindows,
  consume,
  type DeclaredLimits,
  exhaustedResetMs,
  recordFailure,
  recordSuccess,
} from "./internal/update.js";
import { type PoolOptions, type PoolTargetOptions, resolvePoolConfig } from "./options.js";
import type { RateLimitObservation } from "./parsers/types.js";
import { PoolError } from "./pool-error.js";
import { type SelectableTarget, type SelectionInput, selectTarget } from "./select.js";
import { type PoolSnapshot, snapshotTarget } from "./snapshot.js";
import { createTargetState, type TargetState } from "./state.js";

/**
 * What `run` needs of a signal: a standard `AbortSignal`, or any object with the same abort
 * surface (a server can hand in a cheaper per-request object of its own).
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** What the `run` callback is given besides the target. */
export interface AttemptContext<S extends AbortSignalLike = AbortSignal> {
  /** The caller's signal as given to `run` (aborts when the client goes away); pass it to your HTTP call. */
  signal: S;
  /** 1 for the first attempt, 2 for the first failover, … */
  attempt: number;
  /** The sticky key of the request, if any. */
  key: string | undefined;
}

/** Per-request options of `run`. */
export interface RunOptions<R, S extends AbortSignalLike = AbortSignal> {
  /** Aborts waiting and is handed to the callback. */
  signal?: S;
  /** Tokens this request will likely use, counted against declared and reported token limits. */
  estimatedTokens?: number;
  /** Releases a failed attempt's body; overrides the pool's `discard`. */
  discard?: (response: R) => void;
}

/** What `run` resolves to: the response plus what the proxy needs to log. */
export interface RunResult<T, R> {
  /** The callback's result for the attempt that was kept (2xx, or a non-retryable status). */
  response: R;
  /** The target that served it. */
  target: T;
  targetId: string;
  status: number;
  /** Attempts made, including the one that served. */
  attempts: number;
  /** Attempts that failed over to another try (`attempts - 1`). */
  failovers: number;
  /** Time spent waiting for a target to become available. */
  waitedMs: number;
}

/** A pool of upstream targets. */
export interface Pool<T extends PoolTargetOptions = PoolTargetOptions> {
  /** The targets as configured. */
  readonly targets: readonly T[];
  /**
   * Runs one request: picks a target, calls `fn(target, ctx)`, and on a retryable status or a
   * thrown error tries another target. `fn` must resolve as soon as it has a status and
   * headers, before it sends any byte on to the client. Rejects with `PoolError`.
   */
  run<R, S extends AbortSignalLike = AbortSignal>(
    stickyKey: string | undefined,
    fn: (target: T, context: AttemptContext<S>) => Promise<R>,
    options?: RunOptions<R, S>,
  ): Promise<RunResult<T, R>>;
  /** Per-target headroom, cooldown, breaker, in-flight and counters. */
  snapshot(): PoolSnapshot;
  /** Forgets a sticky key's binding (e.g. when its session ends). */
  unbind(stickyKey: string): void;
  /** Subscribes to an event; returns an unsubscribe function. */
  on<K extends keyof PoolEvents>(event: K, listener: Listener<PoolEvents[K]>): () => void;
  /** Unsubscribes. */
  off<K extends keyof PoolEvents>(event: K, listener: Listener<PoolEvents[K]>): void;
}

const NEVER_ABORTED = new AbortController().signal;
/** The `tried` list of a request's first selection (shared: selection never changes it). */
const NOTHING_TRIED: readonly number[] = Object.freeze([]);

/** A `PoolError` for a request its caller aborted. */
function abortError(cause: unknown, attempts: number, lastStatus: number | undefined): PoolError {
  return new PoolError("aborted", "request aborted by the caller", {
    cause,
    attempts,
    failovers: Math.max(0, attempts - 1),
    lastStatus,
  });
}

/**
 * Creates a pool that routes by live rate-limit headroom, keeps sticky keys on their target,
 * and fails over on 429/5xx/connection errors before the client sees anything.
 *
 * @example
 * const pool = createPool({ targets: [{ id: "a", url: A }, { id: "b", url: B }] });
 * const { response, targetId, failovers } = await pool.run(sessionKey, (target, { signal }) =>
 *   fetch(`${target.url}/v1/chat/completions`, { method: "POST", body, signal }),
 * );
 */
export function createPool<T extends PoolTargetOptions>(options: PoolOptions<T>): Pool<T> {
  const config = resolvePoolConfig(options);
  const { targets, store, now, openMs, maxAttempts, accessor } = config;
  const selectable: SelectableTarget[] = targets.map((t) => ({
    id: t.id,
    weight: t.weight ?? 1,
    idHash: hash32(t.id),
  }));
  const indexById = new Map(targets.map((t, i) => [t.id, i]));
  const declared: DeclaredLimits[] = targets.map((t) => {
    const limits: Record<string, number> = {};
    if (t.limits?.requestsPerMinute) limits.requests = t.limits.requestsPerMinute;
    if (t.limits?.tokensPerMinute) limits.tokens = t.limits.tokensPerMinute;
    return limits;
  });
  const emitter = createEmitter<PoolEvents>();
  const waiters = new Set<AbortController>();
  // Selection input: refreshed from the store before each selection (synchronously, so runs
  // can share it), or held for good when the pool owns its store.
  const states: TargetState[] = new Array(targets.length);
  let virtualClock = 0;

  // A store we created ourselves is never written by anyone else, so its state objects can
  // be held directly instead of looked up per selection.
  const ownStore = options.store === undefined;
  const stateOf = (index: number): TargetState => {
    if (ownStore && states[index] !== undefined) return states[index]!;
    const id = targets[index]!.id;
    let state = store.getTarget(id);
    if (!state) {
      state = createTargetState();
      store.setTarget(id, state);
    }
    return state;
  };
  for (let i = 0; i < targets.length; i++) states[i] = stateOf(i);

  // A store the pool owns holds the very state objects it changes: nothing to write back.
  const save = ownStore
    ? (_index: number, _state: TargetState) => {}
    : (index: number, state: TargetState) => store.setTarget(targets[index]!.id, state);
  const emitBreaker = (index: number, change: BreakerChange | undefined) => {
    if (change && emitter.has("breaker")) {
      emitter.emit("breaker", { target: targets[index]!.id, ...change });
    }
  };
  const notifyWaiters = () => {
    for (const waiter of waiters) waiter.abort();
    waiters.clear();
  };
  const earliestAvailable = (t: number): number => {
    let earliest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < targets.length; i++) {
      earliest = Math.min(earliest, availableAt(stateOf(i), t, openMs));
    }
    return earliest;
  };

  const wait = async (ms: number, signal: AbortSignalLike): Promise<void> => {
    const wake = new AbortController();
    const onAbort = () => wake.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    waiters.add(wake);
    try {
      await config.sleep(ms, wake.signal);
    } finally {
      waiters.delete(wake);
      signal.removeEventListener("abort", onAbort);
    }
  };

  /** Records a failed attempt: cooldown, breaker, events. */
  const fail = (
    index: number,
    state: TargetState,
    input: { t: number; cooldownMs: number; breaker: boolean; status?: number },
  ) => {
    const change = recordFailure(state, {
      now: input.t,
      openMs,
      failureThreshold: config.failureThreshold,
      countsTowardsBreaker: input.breaker,
      cooldownMs: input.cooldownMs,
    });
    save(index, state);
    emitBreaker(index, change);
    if (emitter.has("cooldown")) {
      const payload: PoolEvents["cooldown"] = {
        target: targets[index]!.id,
        until: state.cooldownUntil,
        ms: input.cooldownMs,
      };
      if (input.status !== undefined) payload.status = input.status;
      emitter.emit("cooldown", payload);
    }
  };

  /** The error `run` throws when no target can serve (retry hint, last status, event). */
  const giveUp = (
    t: number,
    key: string | undefined,
    attempts: number,
    lastStatus: number | undefined,
  ): PoolError => {
    const at = earliestAvailable(t);
    const retryAfterMs = Number.isFinite(at)
      ? Math.max(0, Math.ceil(at - t))
      : config.cooldownDefaultMs;
    emitter.emit("exhausted", { key, attempts, retryAfterMs });
    const why = attempts >= maxAttempts ? `${attempts} attempts failed` : "no target available";
    // The last upstream answer was a server error: say so, not "rate limited".
    const serverError = lastStatus !== undefined && lastStatus >= 500;
    return new PoolError(
      "exhausted",
      `pool exhausted: ${why}${lastStatus === undefined ? "" : ` (last: HTTP ${lastStatus})`}`,
      {
        status: serverError ? 503 : 429,
        retryAfterMs,
        attempts,
        failovers: Math.max(0, attempts - 1),
        lastStatus,
      },
    );
  };

  // One selection input for the pool, filled in before each (synchronous) selection: a
  // request that is served by its first target allocates no input object of its own.
  const selection: SelectionInput = {
    targets: selectable,
    states,
    now: 0,
    openMs,
    headroomFloor: config.headroomFloor,
    tried: NOTHING_TRIED,
    keyHash: undefined,
    boundIndex: -1,
    virtualClock: 0,
    random: config.random,
  };

  // Built for the common case (the first target answers): closures, the list of tried
  // targets and the failure bookkeeping are made only when an attempt fails.
  const run: Pool<T>["run"] = async (key, fn, runOptions) => {
    const signal = (runOptions?.signal ?? NEVER_ABORTED) as NonNullable<
      NonNullable<typeof runOptions>["signal"]
    >;
    const discard = (runOptions?.discard ?? config.discard) as (response: unknown) => void;
    const tokens = runOptions?.estimatedTokens ?? 0;
    if (!Number.isFinite(tokens) || tokens < 0) {
      throw new PoolError("invalid-option", "estimatedTokens must be a finite number >= 0");
    }
    const keyHash = key === undefined ? undefined : hash32(key);
    let tried: number[] | undefined;
    let attempts = 0;
    let waitedMs = 0;
    let lastStatus: number | undefined;
    // From the first selection's clock reading (one reading fewer per request): only a request
    // that has to wait needs it.
    let deadline = Number.NaN;

    for (;;) {
      if (signal.aborted) throw abortError(signal.reason, attempts, lastStatus);
      const t = now();
      if (Number.isNaN(deadline)) deadline = t + config.queueMaxWaitMs;
      if (attempts >= maxAttempts) throw giveUp(t, key, attempts, lastStatus);
      if (!ownStore) for (let i = 0; i < targets.length; i++) states[i] = stateOf(i);
      const bound = key === undefined ? undefined : store.getBinding(key);
      selection.now = t;
      selection.tried = tried ?? NOTHING_TRIED;
      selection.keyHash = keyHash;
      selection.boundIndex = bound === undefined ? -1 : (indexById.get(bound) ?? -1);
      selection.virtualClock = virtualClock;
      const choice = selectTarget(selection);

      if (!choice) {
        const at = earliestAvailable(t);
        if (t >= deadline || (Number.isFinite(at) && at > deadline)) {
          throw giveUp(t, key, attempts, lastStatus);
        }
        if (waiters.size >= config.queueMaxSize) throw giveUp(t, key, attempts, lastStatus);
        const waitMs = Math.max(1, Math.min(at, deadline) - t);
        emitter.emit("queued", { key, waitMs, queued: waiters.size + 1 });
        await wait(waitMs, signal);
        waitedMs += Math.max(0, now() - t);
        continue;
      }

      const { index } = choice;
      const target = targets[index]!;
      let state = states[index]!;
      attempts++;
      const probe = breakerState(state.breaker, t, openMs) === "half-open";
      if (probe) {
        state.breaker.probing = true;
        emitBreaker(index, { from: "open", to: "half-open" });
      }
      consume(state, t, declared[index]!, tokens);
      state.inFlight++;
      state.counts.attempts++;
      const start = Math.max(state.vtime, virtualClock);
      virtualClock = start;
      state.vtime = start + 1 / selectable[index]!.weight;
      save(index, state);
      if (emitter.has("select")) {
        emitter.emit("select", {
          target: target.id,
          key,
          attempt: attempts,
          reason: choice.reason,
        });
      }

      try {
        let response: unknown;
        try {
          response = await fn(target, { signal, attempt: attempts, key });
        } catch (error) {
          state = stateOf(index);
          state.inFlight--;
          if (signal.aborted || !config.isRetryableError(error)) {
            if (probe) state.breaker.probing = false;
            // Counted even when it does not fail over: a single-target pool's errors show too.
            if (!signal.aborted) state.counts.connectionErrors++;
            save(index, state);
            notifyWaiters();
            if (signal.aborted) throw abortError(error ?? signal.reason, attempts, lastStatus);
            throw error;
          }
          state.counts.connectionErrors++;
          fail(index, state, { t: now(), cooldownMs: config.cooldownDefaultMs, breaker: true });
          if (tried === undefined) tried = [index];
          else tried.push(index);
          lastStatus = undefined;
          if (attempts < maxAttempts && emitter.has("failover")) {
            emitter.emit("failover", {
              from: target.id,
              key,
              attempt: attempts,
              error: errorName(error),
            });
          }
          notifyWaiters();
          continue;
        }

        const t2 = now();
        state = stateOf(index);
        state.inFlight--;
        const status = accessor.status(response);
        if (!Number.isInteger(status)) {
          if (probe) state.breaker.probing = false;
          save(index, state);
          discard(response);
          notifyWaiters();
          throw new PoolError("invalid-response", "callback result has no numeric status", {
            attempts,
            failovers: attempts - 1,
          });
        }
        let retryAfterMs: number | undefined;
        const header = accessor.headers(response);
        for (const parser of config.parsers) {
          let observation: RateLimitObservation | undefined;
          try {
            observation = parser.parse(header, t2);
          } catch {
            // A broken custom parser must not fail a request that already has its response.
            continue;
          }
          if (!observation) continue;
          applyObservation(state, observation, t2, declared[index]!);
          if (observation.retryAfterMs !== undefined) retryAfterMs = observation.retryAfterMs;
        }
        if (retryAfterMs !== undefined) capExhaustedWindows(state, t2, retryAfterMs);

        if (config.isRetryableStatus(status)) {
          discard(response);
          const rateLimited = status === 429;
          if (rateLimited) state.counts.rateLimited++;
          else state.counts.serverErrors++;
          const cooldownMs =
            retryAfterMs ??
            (rateLimited ? exhaustedResetMs(state, t2) : undefined) ??
            config.cooldownDefaultMs;
          fail(index, state, { t: t2, cooldownMs, breaker: !rateLimited, status });
          if (tried === undefined) tried = [index];
          else tried.push(index);
          lastStatus = status;
          if (attempts < maxAttempts && emitter.has("failover")) {
            emitter.emit("failover", { from: target.id, key, attempt: attempts, status });
          }
          notifyWaiters();
          continue;
        }

        // Not retried (a 4xx, or a pool told not to fail over): still counted by class.
        if (status === 429) state.counts.rateLimited++;
        else if (status >= 500) state.counts.serverErrors++;
        emitBreaker(index, recordSuccess(state, t2, openMs));
        save(index, state);
        if (key !== undefined) store.setBinding(key, target.id);
        if (waiters.size > 0) notifyWaiters();
        return {
          response: response as never,
          target,
          targetId: target.id,
          status,
          attempts,
          failovers: attempts - 1,
          waitedMs,
        };
      } catch (error) {
        // However the attempt ended (a throwing isRetryable*/accessor/discard hook included),
        // a half-open trial must not stay marked in flight: the target would never be tried again.
        if (probe) {
          const current = stateOf(index);
          if (current.breaker.probing) {
            current.breaker.probing = false;
            save(index, current);
            notifyWaiters();
          }
        }
        throw error;
      }
    }
  };

  return {
    targets,
    run,
    snapshot() {
      const t = now();
      return {
        at: t,
        targets: targets.map((_target, i) => snapshotTarget(selectable[i]!, stateOf(i), t, openMs)),
        bindings: store.bindingCount(),
        queued: waiters.size,
      };
    },
    unbind(stickyKey) {
      store.deleteBinding(stickyKey);
    },
    on: emitter.on,
    off: emitter.off,
  };
}

/** A thrown value's `code` or `name`, never its message (which may echo a URL or key). */
function errorName(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === "string") return code;
    if (typeof name === "string") return name;
  }
  return typeof error;
}
