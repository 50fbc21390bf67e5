import { assessTarget, currentHealth } from "./headroom.js";
import { rendezvousHash, rendezvousScore } from "./internal/hash.js";
import type { TargetState } from "./state.js";

/** Why a target was chosen, as reported by the `select` event. */
export type SelectionReason = "sticky" | "bind" | "rebind" | "probe" | "headroom" | "retry";

/** A target as selection sees it. */
export interface SelectableTarget {
  readonly id: string;
  readonly weight: number;
  /** `hash32(id)`, precomputed. */
  readonly idHash: number;
}

/** Everything one selection depends on. Selection reads it and changes nothing. */
export interface SelectionInput {
  targets: readonly SelectableTarget[];
  /** `states[i]` belongs to `targets[i]`. */
  states: readonly TargetState[];
  now: number;
  openMs: number;
  headroomFloor: number;
  /** Indexes already attempted by this request. */
  tried: readonly number[];
  /** `hash32(stickyKey)` when the request has a sticky key. */
  keyHash?: number;
  /** Index of the target the sticky key is bound to, or -1. */
  boundIndex: number;
  /** The pool's fair-share clock (virtual time of the latest selection). */
  virtualClock: number;
  /** Tie-breaker; without it ties go to the earlier target. */
  random?: () => number;
}

/** The chosen target index and why. */
export interface Selection {
  index: number;
  reason: SelectionReason;
}

/** Headroom is compared in steps of this size so near-equal targets share load by weight. */
const HEADROOM_STEP = 0.05;

/**
 * Chooses a target, or `undefined` when none can take a request now. Order of preference:
 * 1. the sticky key's bound target while it is healthy (available, breaker closed, headroom at
 *    or above the floor) and not yet tried by this request;
 * 2. for a sticky key, the healthy untried target that wins weighted rendezvous hashing on it;
 * 3. for a request without a sticky key, a half-open target's one trial request;
 * 4. otherwise the best available target: untried before tried, then most headroom × health
 *    (rounded to 5% steps), then least fair-share virtual time (shares traffic by weight), then the
 *    earlier target or `random`.
 * Targets cooling down, with an exhausted window, or with an open breaker are never chosen.
 */
export function selectTarget(input: SelectionInput): Selection | undefined {
  const { targets, states, now, openMs, headroomFloor, tried, keyHash, boundIndex } = input;
  const sticky = keyHash !== undefined;
  if (sticky && boundIndex >= 0 && !tried.includes(boundIndex)) {
    const state = states[boundIndex]!;
    if (!state.breaker.open && assessTarget(state, now, openMs) >= headroomFloor) {
      return { index: boundIndex, reason: "sticky" };
    }
  }

  let rendezvous = -1;
  let rendezvousDraw = 0;
  let rendezvousWeight = 0;
  let probe = -1;
  let best = -1;
  let bestTried = true;
  let bestBucket = -1;
  let bestTime = 0;
  let ties = 0;
  for (let i = 0; i < targets.length; i++) {
    const state = states[i]!;
    const headroom = assessTarget(state, now, openMs);
    if (headroom < 0) continue;
    const isTried = tried.length > 0 && tried.includes(i);
    const closed = !state.breaker.open;
    if (sticky && closed && !isTried && headroom >= headroomFloor) {
      const { idHash, weight } = targets[i]!;
      const draw = rendezvousHash(keyHash, idHash);
      // Equal weights compare by the raw draw; only mixed weights need the logarithm.
      const wins =
        rendezvous < 0 ||
        (weight === rendezvousWeight
          ? draw > rendezvousDraw
          : rendezvousScore(keyHash, idHash, weight) >
            rendezvousScore(keyHash, targets[rendezvous]!.idHash, rendezvousWeight));
      if (wins) {
        rendezvous = i;
        rendezvousDraw = draw;
        rendezvousWeight = weight;
      }
    }
    if (!closed && !isTried && probe < 0) probe = i;

    const health = state.health >= 1 ? 1 : currentHealth(state, now);
    const bucket = Math.round((headroom * health) / HEADROOM_STEP);
    const time = Math.max(state.vtime, input.virtualClock);
    let order: number;
    if (best < 0) order = 1;
    else if (isTried !== bestTried) order = isTried ? -1 : 1;
    else if (bucket !== bestBucket) order = bucket > bestBucket ? 1 : -1;
    else if (time !== bestTime) order = time < bestTime ? 1 : -1;
    else order = 0;
    if (order === 0 && input.random) {
      // Reservoir sampling keeps every tied target equally likely.
      ties++;
      if (input.random() * ties < 1) order = 1;
    } else if (order > 0) {
      ties = 1;
    }
    if (order > 0) {
      best = i;
      bestTried = isTried;
      bestBucket = bucket;
      bestTime = time;
    }
  }

  if (rendezvous >= 0) return { index: rendezvous, reason: boundIndex >= 0 ? "rebind" : "bind" };
  if (!sticky && probe >= 0) return { index: probe, reason: "probe" };
  if (best >= 0) return { index: best, reason: bestTried ? "retry" : "headroom" };
  return undefined;
}
