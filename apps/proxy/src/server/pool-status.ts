import type { PoolSnapshot } from "@switchyard/pool";
import type { Backend } from "../backends/types.js";
import type { AdminHandler } from "./admin.js";

/** One target as `/status` shows it. */
export interface TargetStatus {
  id: string;
  weight: number;
  available: boolean;
  /** Tightest rate-limit dimension, 0–1. */
  headroom: number;
  health: number;
  /** ISO time the cooldown ends, or `null`. */
  cooldownUntil: string | null;
  breaker: string;
  inFlight: number;
  requests: number;
  rateLimited: number;
  /** Attempts that failed over to another target. */
  failures: number;
  /** 5xx answers and failed connections (timeouts, refusals), failed over or not. */
  errors: number;
}

/** `GET /pool`: every pooled backend's full snapshot (ids and numbers only, never a URL or a key). */
export function poolSnapshots(backends: ReadonlyMap<string, Backend>): {
  backends: Record<string, PoolSnapshot>;
} {
  const out: Record<string, PoolSnapshot> = {};
  for (const [name, backend] of backends) {
    const snapshot = backend.poolSnapshot?.();
    if (snapshot !== undefined) out[name] = snapshot;
  }
  return { backends: out };
}

/** The `/status` summary of every pooled backend: its targets with headroom, cooldown, breaker. */
export function poolStatus(
  backends: ReadonlyMap<string, Backend>,
): Record<string, { targets: TargetStatus[]; bindings: number; queued: number }> {
  const out: Record<string, { targets: TargetStatus[]; bindings: number; queued: number }> = {};
  for (const [name, snapshot] of Object.entries(poolSnapshots(backends).backends)) {
    out[name] = {
      targets: snapshot.targets.map((t) => ({
        id: t.id,
        weight: t.weight,
        available: t.available,
        headroom: round(t.headroom),
        health: round(t.health),
        cooldownUntil: t.cooldownUntil === null ? null : new Date(t.cooldownUntil).toISOString(),
        breaker: t.breaker.state,
        inFlight: t.inFlight,
        requests: t.counts.attempts,
        rateLimited: t.counts.rateLimited,
        failures: t.counts.failures,
        errors: t.counts.serverErrors + t.counts.connectionErrors,
      })),
      bindings: snapshot.bindings,
      queued: snapshot.queued,
    };
  }
  return out;
}

/** The `GET /pool` admin handler. */
export function createPoolHandler(backends: ReadonlyMap<string, Backend>): AdminHandler {
  return ({ sink }) => {
    sink.json(200, poolSnapshots(backends));
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
