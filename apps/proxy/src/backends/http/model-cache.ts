import type { AbortSignalLike } from "@switchyard/pool";
import type { BackendModel } from "../types.js";
import type { UpstreamClient } from "./upstream.js";

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

/** Where and how to ask an upstream for its models. */
export interface UpstreamModelQuery {
  /** The client of the target to ask (the backend's first), if any. */
  client: UpstreamClient | undefined;
  url: string;
  headers: Record<string, string>;
  /** Reads a model's creation time (seconds) from its entry in the answer's `data`. */
  createdAt(model: Record<string, unknown>): number;
}

/**
 * A cached model list: the `configured` models, else one quick `GET` of the upstream's model
 * endpoint (`data[].id`; 2 s to the first byte, 3 s in all). Anything but a 200 lists nothing.
 */
export function createUpstreamModelCache(
  configured: readonly string[] | undefined,
  query: () => UpstreamModelQuery,
): ReturnType<typeof createModelCache> {
  return createModelCache(async (signal) => {
    if (configured !== undefined) return configured.map((id): BackendModel => ({ id }));
    const { client, url, headers, createdAt } = query();
    if (client === undefined) return [];
    const response = await client.request({
      url,
      method: "GET",
      headers,
      signal,
      firstByteMs: 2000,
      totalMs: 3000,
    });
    const text = await response.body.text();
    if (response.status !== 200) return [];
    const parsed = JSON.parse(text) as { data?: Array<Record<string, unknown>> };
    return (parsed.data ?? []).flatMap((m) =>
      typeof m.id === "string" ? [{ id: m.id, createdAt: createdAt(m) }] : [],
    );
  });
}
