export type { AdminHandler, ReservedAdminRoute } from "./admin.js";
export { reservedAdminRoutes } from "./admin.js";
export { errorToResponse, writeError } from "./error-response.js";
export { ProxyError, type ProxyErrorCode } from "./proxy-error.js";
export type { RequestLogEntry } from "./request-log.js";
export { createRouter, globToRegExp, type RouteDecision, type Router } from "./routing.js";
export {
  type RunningServer,
  StartServerError,
  type StartServerErrorCode,
  type StartServerOptions,
  startServer,
} from "./start-server.js";
