import { defaultParsers } from "./parsers/index.js";
import type { RateLimitParser } from "./parsers/types.js";
import { PoolError } from "./pool-error.js";
import {
  defaultResponseAccessor,
  discardResponse,
  type ResponseAccessor,
} from "./response-like.js";
import { createMemoryStateStore, type PoolStateStore } from "./state-store.js";

/** One upstream target. Extra fields (base URL, key, …) are handed back to your callback. */
export interface PoolTargetOptions {
  /** Unique id used in state, events and snapshots. */
  id: string;
  /** Relative share of traffic when headroom is equal. Default 1. */
  weight?: number;
  /** Declared limits, used when the upstream sends no rate-limit headers. */
  limits?: { requestsPerMinute?: number; tokensPerMinute?: number };
}

/** What users pass to `createPool`. */
export interface PoolOptions<T extends PoolTargetOptions = PoolTargetOptions> {
  targets: readonly T[];
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Where state lives. Default `createMemoryStateStore()`. */
  store?: PoolStateStore;
  /** Tie-breaker in [0, 1). Default: ties go to the earlier target (deterministic). */
  random?: () => number;
  /** Most attempts per request, the first included. Default 3. */
  maxAttempts?: number;
  /** A sticky key leaves its target when headroom falls below this (0–1). Default 0.1. */
  headroomFloor?: number;
  /** Cooldown after a failure that names no reset time. Default 2000 ms. */
  cooldownDefaultMs?: number;
  /** Circuit breaker: opens after `failureThreshold` consecutive 5xx/connection failures
   * (default 5) and lets one trial request through after `openMs` (default 30000). */
  breaker?: { failureThreshold?: number; openMs?: number };
  /** Waiting when no target is available: at most `maxSize` waiters (default 100), each for
   * at most `maxWaitMs` (default 10000) before failing with `exhausted`. */
  queue?: { maxSize?: number; maxWaitMs?: number };
  /** Rate-limit header parsers, applied in order. Default `defaultParsers`. */
  parsers?: readonly RateLimitParser[];
  /** Reads status and headers from callback results. Default handles Fetch and undici. */
  accessor?: ResponseAccessor<never>;
  /** Releases a failed attempt's body. Default `discardResponse`. */
  discard?: (response: never) => void;
  /** Statuses that fail over. Default: 429 and every 5xx (including Anthropic's 529). */
  isRetryableStatus?: (status: number) => boolean;
  /** Thrown errors that fail over. Default: every error except the caller's abort. */
  isRetryableError?: (error: unknown) => boolean;
  /** Waits `ms` or until `signal` aborts. Default `setTimeout`; inject one with a fake clock. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** `PoolOptions` with defaults applied and validated. */
export interface PoolConfig<T extends PoolTargetOptions = PoolTargetOptions> {
  targets: readonly T[];
  now: () => number;
  store: PoolStateStore;
  random: (() => number) | undefined;
  maxAttempts: number;
  headroomFloor: number;
  cooldownDefaultMs: number;
  failureThreshold: number;
  openMs: number;
  queueMaxSize: number;
  queueMaxWaitMs: number;
  parsers: readonly RateLimitParser[];
  accessor: ResponseAccessor<unknown>;
  discard: (response: unknown) => void;
  isRetryableStatus: (status: number) => boolean;
  isRetryableError: (error: unknown) => boolean;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** 429 Too Many Requests and every 5xx; 529 is Anthropic's "overloaded". */
export function isRetryableStatusDefault(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Real-time sleep that ends early when `signal` aborts. */
export function sleepDefault(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Applies defaults and validates; throws `PoolError` `invalid-option` naming the field. */
export function resolvePoolConfig<T extends PoolTargetOptions>(
  options: PoolOptions<T>,
): PoolConfig<T> {
  const fail = (message: string): never => {
    throw new PoolError("invalid-option", message);
  };
  const { targets } = options ?? ({} as PoolOptions<T>);
  if (!Array.isArray(targets) || targets.length === 0) fail("targets must be a non-empty array");
  const ids = new Set<string>();
  targets.forEach((target, i) => {
    if (typeof target?.id !== "string" || target.id === "")
      fail(`targets[${i}].id must be a non-empty string`);
    if (ids.has(target.id)) fail(`targets[${i}].id "${target.id}" is not unique`);
    ids.add(target.id);
    if (target.weight !== undefined && !(target.weight > 0 && Number.isFinite(target.weight))) {
      fail(`targets[${i}].weight must be a positive number`);
    }
    for (const [name, value] of Object.entries(target.limits ?? {})) {
      if (
        value !== undefined &&
        !(typeof value === "number" && value > 0 && Number.isFinite(value))
      ) {
        fail(`targets[${i}].limits.${name} must be a positive number`);
      }
    }
  });
  const int = (name: string, value: number, min: number): number => {
    if (!Number.isInteger(value) || value < min) fail(`${name} must be an integer >= ${min}`);
    return value;
  };
  const ms = (name: string, value: number): number => {
    if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
      fail(`${name} must be a finite number of ms >= 0`);
    }
    return value;
  };
  const headroomFloor = options.headroomFloor ?? 0.1;
  if (!(headroomFloor >= 0 && headroomFloor <= 1)) fail("headroomFloor must be between 0 and 1");
  return {
    targets,
    now: options.now ?? Date.now,
    store: options.store ?? createMemoryStateStore(),
    random: options.random,
    maxAttempts: int("maxAttempts", options.maxAttempts ?? 3, 1),
    headroomFloor,
    cooldownDefaultMs: ms("cooldownDefaultMs", options.cooldownDefaultMs ?? 2_000),
    failureThreshold: int("breaker.failureThreshold", options.breaker?.failureThreshold ?? 5, 1),
    openMs: ms("breaker.openMs", options.breaker?.openMs ?? 30_000),
    queueMaxSize: int("queue.maxSize", options.queue?.maxSize ?? 100, 0),
    queueMaxWaitMs: ms("queue.maxWaitMs", options.queue?.maxWaitMs ?? 10_000),
    parsers: options.parsers ?? defaultParsers,
    accessor: (options.accessor ?? defaultResponseAccessor) as ResponseAccessor<unknown>,
    discard: (options.discard ?? discardResponse) as (response: unknown) => void,
    isRetryableStatus: options.isRetryableStatus ?? isRetryableStatusDefault,
    isRetryableError: options.isRetryableError ?? (() => true),
    sleep: options.sleep ?? sleepDefault,
  };
}
