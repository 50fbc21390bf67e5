import type { AdminHandler } from "./admin.js";
import { ProxyError } from "./proxy-error.js";
import { parseOverviewWindow, type TrafficMetrics } from "./traffic-metrics.js";

/**
 * `GET /overview?window=15m|1h|24h`: the traffic metrics' overview body (requests/s,
 * tokens/s, cost per hour by backend and model, error rate, p50/p99, per-bucket series), what
 * the dashboard's Overview and `switchyard top` draw.
 */
export function createOverviewHandler(metrics: TrafficMetrics): AdminHandler {
  return ({ query, sink }) => {
    const window = parseOverviewWindow(query.get("window"));
    if (window === undefined) {
      throw new ProxyError("bad_request", "window must be one of 15m, 1h, 24h", {
        param: "window",
      });
    }
    sink.json(200, metrics.overview(window));
  };
}
