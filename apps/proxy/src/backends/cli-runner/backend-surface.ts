import { rm } from "node:fs/promises";
import type { BackendAvailability, BackendModel } from "../types.js";
import type { CliRun } from "./run-cli.js";

/** Options for {@link cliBackendSurface}. */
export interface CliBackendSurfaceOptions {
  /** The backend's quota cache: its decision is the backend's availability. */
  quota: { decide(): BackendAvailability };
  /** What `/v1/models` lists. */
  models: readonly string[];
  /** Runs in flight. */
  active: ReadonlySet<CliRun>;
  /** Releases the backend's hold on its shared session store. */
  releaseSessions(): void;
  /** The backend's started state, if it ever started (its temp prompt directory is removed). */
  started(): Promise<{ promptDir: string }> | undefined;
}

/**
 * What both CLI backends answer alike: availability from the quota cache (for routes with a
 * `fallback`), the configured model list, and a close that stops every run in flight.
 */
export function cliBackendSurface(options: CliBackendSurfaceOptions): {
  availability(): BackendAvailability;
  listModels(): Promise<BackendModel[]>;
  close(): Promise<void>;
} {
  const { quota, models, active } = options;
  return {
    availability() {
      const { prefer, reason } = quota.decide();
      return { prefer, reason };
    },
    async listModels() {
      return models.map((id) => ({ id }));
    },
    async close() {
      options.releaseSessions();
      for (const child of active) child.kill();
      await Promise.all([...active].map((child) => child.exit));
      const state = await options.started()?.catch(() => undefined);
      if (state !== undefined) await rm(state.promptDir, { recursive: true, force: true });
    },
  };
}
