import type { IncomingMessage } from "node:http";
import type { AbortSignalLike } from "@switchyard/pool";
import type { ResponseSink } from "../backends/types.js";
import { ProxyError } from "./proxy-error.js";

/** A handler for an admin endpoint that later work plugs in (`GET /analytics`, …). */
export type AdminHandler = (request: {
  req: IncomingMessage;
  query: URLSearchParams;
  sink: ResponseSink;
  signal: AbortSignalLike;
}) => Promise<void> | void;

/** Admin endpoints reserved for later work; each answers 501 until a handler is passed in. */
export const reservedAdminRoutes = [
  "GET /analytics",
  "GET /events",
  "GET /pool",
  "POST /admin/resume",
  "POST /admin/reload",
  "GET /guard",
  "GET /doctor",
  "GET /overview",
  "GET /config",
  "GET /capture",
] as const;

/** A key of {@link reservedAdminRoutes}. */
export type ReservedAdminRoute = (typeof reservedAdminRoutes)[number];

/** The 501 a reserved endpoint answers while nothing implements it. */
export function notImplemented(route: string): ProxyError {
  return new ProxyError(
    "not_implemented",
    `${route} is not available in this build of switchyard yet`,
  );
}
