import {
  availableAt,
  type BreakerState,
  breakerState,
  currentHealth,
  dimensionHeadroom,
  targetHeadroom,
} from "./headroom.js";
import type { DimensionSource, TargetCounts, TargetState } from "./state.js";

/** One dimension of a target in a snapshot. */
export interface DimensionSnapshot {
  limit: number;
  /** What is left now; a window past its reset shows as full. */
  remaining: number;
  resetAt: number;
  headroom: number;
  source: DimensionSource;
}

/** One target in a snapshot. */
export interface TargetSnapshot {
  id: string;
  weight: number;
  /** Can take a request now. */
  available: boolean;
  /** When it can next take a request, if not now (`null` while a trial request decides). */
  availableAt: number | null;
  /** Tightest dimension, 0–1. */
  headroom: number;
  /** Recent success rate, 0–1. */
  health: number;
  dimensions: Record<string, DimensionSnapshot>;
  /** Epoch ms the cooldown ends, or `null` when not cooling. */
  cooldownUntil: number | null;
  breaker: { state: BreakerState; consecutiveFailures: number; openedAt: number | null };
  inFlight: number;
  counts: TargetCounts;
}

/** A point-in-time view of a pool, plain JSON. */
export interface PoolSnapshot {
  /** Epoch ms the snapshot was taken. */
  at: number;
  targets: TargetSnapshot[];
  /** Sticky keys currently bound to a target. */
  bindings: number;
  /** Requests waiting for a target. */
  queued: number;
}

/** Describes one target's state at `now`. */
export function snapshotTarget(
  target: { id: string; weight: number },
  state: TargetState,
  now: number,
  openMs: number,
): TargetSnapshot {
  const dimensions: Record<string, DimensionSnapshot> = {};
  for (const d of state.dimensions) {
    const reset = now >= d.resetAt;
    dimensions[d.name] = {
      limit: d.limit,
      remaining: reset ? d.limit : d.remaining,
      resetAt: d.resetAt,
      headroom: dimensionHeadroom(d, now),
      source: d.source,
    };
  }
  const at = availableAt(state, now, openMs);
  return {
    id: target.id,
    weight: target.weight,
    available: at <= now,
    availableAt: at <= now ? now : Number.isFinite(at) ? at : null,
    headroom: targetHeadroom(state, now),
    health: currentHealth(state, now),
    dimensions,
    cooldownUntil: state.cooldownUntil > now ? state.cooldownUntil : null,
    breaker: {
      state: breakerState(state.breaker, now, openMs),
      consecutiveFailures: state.breaker.consecutiveFailures,
      openedAt: state.breaker.open ? state.breaker.openedAt : null,
    },
    inFlight: state.inFlight,
    counts: { ...state.counts },
  };
}
