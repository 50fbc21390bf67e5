import type { RequestLogEntry } from "./request-log.js";

/**
 * The proxy's own read endpoints: what the dashboard, `switchyard top`, `status` and health
 * checks poll (`/ui/...` assets included). None of them is traffic, and none is recorded by
 * `--capture`.
 */
export const ADMIN_READ_PATHS: ReadonlySet<string> = new Set([
  "/health",
  "/status",
  "/requests",
  "/events",
  "/analytics",
  "/pool",
  "/guard",
  "/overview",
  "/config",
  "/capture",
  "/doctor",
  "/ui",
]);

/** True for a path of {@link ADMIN_READ_PATHS} or under `/ui/`. */
export function isAdminReadPath(path: string): boolean {
  return ADMIN_READ_PATHS.has(path) || path.startsWith("/ui/");
}

/**
 * True for an answered admin read (`GET`/`HEAD` of {@link ADMIN_READ_PATHS}, status < 400):
 * a poll. The request log (stdout and `GET /requests`) leaves these out unless `verbose` is
 * on, so a dashboard or `top` left open does not push the real requests out of the ring.
 * A refused one (401, 403, 404, …) is always logged: that is someone knocking.
 */
export function isQuietAdminRead(entry: Pick<RequestLogEntry, "method" | "path" | "status">) {
  return (
    (entry.method === "GET" || entry.method === "HEAD") &&
    entry.status < 400 &&
    isAdminReadPath(entry.path)
  );
}
