import type { AbortSignalLike } from "@switchyard/pool";
import type { BackendModel } from "../types.js";

/** Caches a backend's model list briefly so `/v1/models` does not hit the upstream each time. */
export function createModelCache(
  load: (signal: AbortSignalLike) => Promise<BackendModel[]>,
  ttlMs = 60_000,
): { get(signal?: AbortSignalLike): Promise<BackendModel[]> } {
  let cached: { until: number; models: BackendModel[] } | undefined;
  let loading: Promise<BackendModel[]> | undefined;
  return {
    get(signal) {
      if (cached !== undefined && Date.now() < cached.until) return Promise.resolve(cached.models);
      loading ??= load(signal ?? AbortSignal.timeout(3000)).then(
        (models) => {
          cached = { until: Date.now() + ttlMs, models };
          loading = undefined;
          return models;
        },
        () => {
          // A failed probe is retried soon, not after the full TTL.
          cached = { until: Date.now() + 5000, models: [] };
          loading = undefined;
          return [];
        },
      );
      return loading;
    },
  };
}
