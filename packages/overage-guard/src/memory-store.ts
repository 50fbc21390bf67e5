import type { GuardState, GuardStateStore } from "./types.js";

/** A {@link GuardStateStore} in memory (state survives a new guard on the same store object). */
export function createMemoryGuardStateStore(initial?: GuardState): GuardStateStore & {
  /** The last saved state (a copy), for inspection. */
  current(): GuardState | undefined;
} {
  let saved: string | undefined = initial ? JSON.stringify(initial) : undefined;
  return {
    async load() {
      return saved === undefined ? undefined : (JSON.parse(saved) as GuardState);
    },
    async save(state) {
      saved = JSON.stringify(state);
    },
    current() {
      return saved === undefined ? undefined : (JSON.parse(saved) as GuardState);
    },
  };
}
