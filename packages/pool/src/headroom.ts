import type { BreakerRecord, DimensionState, TargetState } from "./state.js";

/** Half-life of a target's health deficit: a failure's weight halves every 30 s without news. */
export const HEALTH_HALF_LIFE_MS = 30_000;

/**
 * Health at `now`: the recorded success average, with its shortfall from 1 decaying by half
 * every `HEALTH_HALF_LIFE_MS`, so a target that had a bad minute is not avoided forever.
 */
export function currentHealth(state: TargetState, now: number): number {
  const { health } = state;
  if (health >= 1) return 1;
  const elapsed = now - state.healthAt;
  if (elapsed <= 0) return health;
  return 1 - (1 - health) * 2 ** (-elapsed / HEALTH_HALF_LIFE_MS);
}

/** The breaker state a target is in at `now`. */
export type BreakerState = "closed" | "open" | "half-open";

/** Breaker state at `now`: an open breaker turns half-open once `openMs` has passed. */
export function breakerState(breaker: BreakerRecord, now: number, openMs: number): BreakerState {
  if (!breaker.open) return "closed";
  return now - breaker.openedAt >= openMs ? "half-open" : "open";
}

/**
 * True when `dimension` keeps a target from taking a request at `now`: exhausted, before a
 * reset time the upstream gave (or a declared window). An untimed window never blocks.
 */
export function blocks(dimension: DimensionState, now: number): boolean {
  return dimension.remaining <= 0 && dimension.resetAt > now && dimension.untimed !== true;
}

/** Headroom of one dimension in [0, 1]; a window past its reset counts as full. */
export function dimensionHeadroom(dimension: DimensionState, now: number): number {
  if (now >= dimension.resetAt) return 1;
  if (dimension.limit <= 0) return dimension.remaining > 0 ? 1 : 0;
  const ratio = dimension.remaining / dimension.limit;
  return ratio >= 1 ? 1 : Math.max(ratio, 0);
}

/** Headroom of a target: its tightest dimension; 1 when nothing is known. */
export function targetHeadroom(state: TargetState, now: number): number {
  let headroom = 1;
  for (const dimension of state.dimensions) {
    const h = dimensionHeadroom(dimension, now);
    if (h < headroom) headroom = h;
  }
  return headroom;
}

/**
 * Epoch ms from which the target can take a request: after its cooldown, after every
 * exhausted window resets, after its open breaker's `openMs`. `Infinity` while a half-open
 * probe is in flight; a value `<= now` means available now.
 */
export function availableAt(state: TargetState, now: number, openMs: number): number {
  let at = state.cooldownUntil;
  for (const dimension of state.dimensions) {
    if (blocks(dimension, now) && dimension.resetAt > at) {
      at = dimension.resetAt;
    }
  }
  const { breaker } = state;
  if (breaker.open) {
    const halfOpenAt = breaker.openedAt + openMs;
    if (halfOpenAt > now) return Math.max(at, halfOpenAt);
    if (breaker.probing) return Number.POSITIVE_INFINITY;
  }
  return at;
}

/** True when the target may be sent a request at `now` (a half-open one: one probe). */
export function isAvailable(state: TargetState, now: number, openMs: number): boolean {
  return availableAt(state, now, openMs) <= now;
}

/** Available, breaker closed, and headroom at or above `floor`: a sticky key may stay. */
export function isHealthy(state: TargetState, now: number, openMs: number, floor: number): boolean {
  return (
    !state.breaker.open && isAvailable(state, now, openMs) && targetHeadroom(state, now) >= floor
  );
}

/**
 * One-pass availability and headroom for the selection hot path: the target's headroom, or -1
 * when it cannot take a request at `now`. Agrees with `isAvailable` and `targetHeadroom`.
 */
export function assessTarget(state: TargetState, now: number, openMs: number): number {
  if (state.cooldownUntil > now) return -1;
  const { breaker } = state;
  if (breaker.open && (breaker.probing || now - breaker.openedAt < openMs)) return -1;
  let headroom = 1;
  const dimensions = state.dimensions;
  for (let i = 0; i < dimensions.length; i++) {
    const d = dimensions[i]!;
    if (now >= d.resetAt) continue;
    if (d.remaining <= 0 && d.untimed !== true) return -1;
    const ratio = d.limit <= 0 ? 1 : d.remaining / d.limit;
    if (ratio < headroom) headroom = ratio;
  }
  return headroom;
}
