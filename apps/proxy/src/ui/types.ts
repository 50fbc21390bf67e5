/** The admin API's bodies, as the server defines them (types only: nothing of the server is bundled). */
export type { PoolSnapshot, TargetSnapshot } from "@switchyard/pool";
export type { ConfigView } from "../server/config-route.js";
export type { GuardView } from "../server/guard-routes.js";
export type { ReloadResult } from "../server/reloader.js";
export type { OverviewBody } from "../server/traffic-metrics.js";
