import { blocks, breakerState, currentHealth } from "../headroom.js";
import type { DimensionObservation, RateLimitObservation } from "../parsers/types.js";
import type { DimensionState, TargetState } from "../state.js";

/** Length of the window declared per-minute limits are counted in. */
export const DECLARED_WINDOW_MS = 60_000;
/** How long header numbers without a reset time are trusted. */
const UNTIMED_WINDOW_MS = 60_000;
/** Weight of the newest outcome in the health average. */
const HEALTH_ALPHA = 0.2;

/** Declared per-minute limits keyed by dimension name. */
export type DeclaredLimits = Readonly<Record<string, number>>;

/**
 * Starts an attempt: rolls windows that have reset (declared limits start a fresh window,
 * header numbers past their reset are forgotten) and takes one request, plus `tokens`, off
 * the remaining counts so concurrent requests spread before the response headers arrive.
 */
export function consume(
  state: TargetState,
  now: number,
  declared: DeclaredLimits,
  tokens: number,
): void {
  let next = state.dimensions;
  // Copy only when a window has to be rolled or opened; the common case changes nothing
  // (plain loops: a callback closing over `now` would be allocated on every request).
  if (anyReset(next, now)) next = next.filter((d) => now < d.resetAt);
  for (const name in declared) {
    if (!hasDimension(next, name)) {
      const limit = declared[name]!;
      if (next === state.dimensions) next = [...next];
      next.push({
        name,
        limit,
        remaining: limit,
        resetAt: now + DECLARED_WINDOW_MS,
        source: "declared",
      });
    }
  }
  for (const dimension of next) {
    if (dimension.name === "requests") dimension.remaining = Math.max(0, dimension.remaining - 1);
    else if (tokens > 0 && (dimension.name === "tokens" || dimension.name === "input-tokens")) {
      dimension.remaining = Math.max(0, dimension.remaining - tokens);
    }
  }
  state.dimensions = next;
}

function anyReset(dimensions: readonly DimensionState[], now: number): boolean {
  for (let i = 0; i < dimensions.length; i++) if (now >= dimensions[i]!.resetAt) return true;
  return false;
}

function hasDimension(dimensions: readonly DimensionState[], name: string): boolean {
  for (let i = 0; i < dimensions.length; i++) if (dimensions[i]!.name === name) return true;
  return false;
}

/**
 * Merges parsed rate-limit headers into the target's dimensions; headers beat estimates.
 * A `retryAfterMs` (the upstream's own word on when to come back) caps the reset of every
 * exhausted window: no window outlasts what the upstream asked for.
 */
export function applyObservation(
  state: TargetState,
  observation: RateLimitObservation,
  now: number,
  declared: DeclaredLimits,
): void {
  const dimensions = observation.dimensions;
  if (!dimensions) return;
  for (const name in dimensions) {
    const seen = dimensions[name] as DimensionObservation;
    const index = state.dimensions.findIndex((d) => d.name === name);
    const previous = index >= 0 ? state.dimensions[index] : undefined;
    const live = previous && now < previous.resetAt ? previous : undefined;
    const remaining = seen.remaining ?? live?.remaining;
    const limit = seen.limit ?? live?.limit ?? declared[name] ?? remaining;
    if (limit === undefined) continue;
    const timed = seen.resetAt !== undefined || (live !== undefined && live.untimed !== true);
    const next: DimensionState = {
      name,
      limit,
      remaining: remaining ?? limit,
      resetAt: seen.resetAt ?? live?.resetAt ?? now + UNTIMED_WINDOW_MS,
      source: "headers",
    };
    if (!timed) next.untimed = true;
    if (index >= 0) state.dimensions[index] = next;
    else state.dimensions.push(next);
  }
}

/**
 * Caps every exhausted window at `now + retryAfterMs`: the upstream's Retry-After wins over a
 * reset time assumed or reported for the window as a whole.
 */
export function capExhaustedWindows(state: TargetState, now: number, retryAfterMs: number): void {
  const until = now + retryAfterMs;
  for (const d of state.dimensions) {
    if (d.remaining <= 0 && d.resetAt > until) {
      d.resetAt = until;
      // The upstream named the time: from now on this window is timed.
      delete d.untimed;
    }
  }
}

/** Ms until the latest exhausted window resets, or `undefined` if none is exhausted. */
export function exhaustedResetMs(state: TargetState, now: number): number | undefined {
  let wait: number | undefined;
  for (const d of state.dimensions) {
    if (blocks(d, now)) wait = Math.max(wait ?? 0, d.resetAt - now);
  }
  return wait;
}

/** A breaker transition, for the `breaker` event. */
export interface BreakerChange {
  from: "closed" | "open" | "half-open";
  to: "closed" | "open" | "half-open";
}

/** Records a good outcome: health up, breaker closed. Returns the transition, if any. */
export function recordSuccess(
  state: TargetState,
  now: number,
  openMs: number,
): BreakerChange | undefined {
  state.counts.successes++;
  const health = currentHealth(state, now);
  state.health = health + (1 - health) * HEALTH_ALPHA;
  state.healthAt = now;
  const { breaker } = state;
  const from = breakerState(breaker, now, openMs);
  breaker.consecutiveFailures = 0;
  breaker.probing = false;
  if (!breaker.open) return undefined;
  breaker.open = false;
  return { from, to: "closed" };
}

/** Options of `recordFailure`. */
export interface FailureInput {
  now: number;
  openMs: number;
  failureThreshold: number;
  /** Rate limits cool the target down but do not count towards the breaker. */
  countsTowardsBreaker: boolean;
  cooldownMs: number;
}

/** Records a failed attempt: health down, cooldown, maybe open the breaker. */
export function recordFailure(state: TargetState, input: FailureInput): BreakerChange | undefined {
  const { now, openMs, failureThreshold, countsTowardsBreaker, cooldownMs } = input;
  state.counts.failures++;
  state.health = currentHealth(state, now) * (1 - HEALTH_ALPHA);
  state.healthAt = now;
  state.cooldownUntil = Math.max(state.cooldownUntil, now + cooldownMs);
  const { breaker } = state;
  const from = breakerState(breaker, now, openMs);
  const wasProbing = breaker.probing;
  breaker.probing = false;
  if (!countsTowardsBreaker) {
    // A rate-limited probe proves the target is up; its cooldown already keeps traffic away.
    if (from === "half-open" && wasProbing) {
      breaker.open = false;
      breaker.consecutiveFailures = 0;
      return { from, to: "closed" };
    }
    return undefined;
  }
  breaker.consecutiveFailures++;
  if (
    from === "half-open" ||
    (from === "closed" && breaker.consecutiveFailures >= failureThreshold)
  ) {
    breaker.open = true;
    breaker.openedAt = now;
    return { from, to: "open" };
  }
  return undefined;
}
