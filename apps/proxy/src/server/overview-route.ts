import type { AdminHandler } from "./admin.js";
import { ProxyError } from "./proxy-error.js";
import {
  type OverviewWindow,
  parseOverviewWindow,
  type TrafficMetrics,
} from "./traffic-metrics.js";

/** How long one computed overview answers every poll (several dashboards and `top`s share it). */
export const OVERVIEW_CACHE_MS = 1000;

/**
 * `GET /overview?window=15m|1h|24h`: the traffic metrics' overview body (requests/s,
 * tokens/s, cost per hour by backend and model, error rate, p50/p99, per-bucket series), what
 * the dashboard's Overview and `switchyard top` draw. Computed at most once a second a window.
 */
export function createOverviewHandler(
  metrics: TrafficMetrics,
  now: () => number = Date.now,
): AdminHandler {
  const cache = new Map<OverviewWindow, { at: number; body: string }>();
  return ({ query, sink }) => {
    const window = parseOverviewWindow(query.get("window"));
    if (window === undefined) {
      throw new ProxyError("bad_request", "window must be one of 15m, 1h, 24h", {
        param: "window",
      });
    }
    const t = now();
    let hit = cache.get(window);
    if (hit === undefined || t - hit.at >= OVERVIEW_CACHE_MS || t < hit.at) {
      hit = { at: t, body: JSON.stringify(metrics.overview(window)) };
      cache.set(window, hit);
    }
    sink.bytes(200, hit.body, { "content-type": "application/json" });
  };
}
