import type { Backend, BackendAvailability } from "../backends/types.js";

/**
 * The `/status` view of every backend that judges its own availability (the CLI backends:
 * their plan's quota): whether automatic routing uses it now, and why. Never a secret.
 */
export function availabilityStatus(
  backends: ReadonlyMap<string, Backend>,
): Record<string, BackendAvailability> {
  const out: Record<string, BackendAvailability> = {};
  for (const [name, backend] of backends) {
    const state = backend.availability?.();
    if (state !== undefined) out[name] = { prefer: state.prefer, reason: state.reason };
  }
  return out;
}
