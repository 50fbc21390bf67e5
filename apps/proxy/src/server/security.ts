import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { ProxyError } from "./proxy-error.js";

/** True for `127.0.0.0/8`, `::1`, `localhost` (the hosts no other machine can reach). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare === "::1") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare.startsWith("::ffff:127.");
}

/** Options for {@link createRequestGuard}. */
export interface RequestGuardOptions {
  host: string;
  /** The port actually bound (known after listen). */
  port: () => number;
  apiKey?: string;
  allowedOrigins: readonly string[];
}

/** Checks every request before anything else runs; throws a ProxyError to refuse it. */
export interface RequestGuard {
  /**
   * `requireKey: false` skips the key check (for `/health`, CORS preflight, the dashboard's
   * cookie). `sameOrigin: true` also admits an `Origin` equal to `http://<Host>` (the
   * dashboard's own page posting to its proxy; the Host itself is checked first).
   */
  check(req: IncomingMessage, options?: { requireKey?: boolean; sameOrigin?: boolean }): void;
}

const sha256 = (value: string) => createHash("sha256").update(value).digest();

/** Extracts the key a client presented (`x-api-key` or `Authorization: Bearer`). */
function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers["x-api-key"];
  if (typeof header === "string" && header.length > 0) return header;
  const auth = req.headers.authorization;
  if (typeof auth === "string" && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, "");
  return undefined;
}

/**
 * Builds the guard: Host check on loopback (DNS rebinding), Origin allow-list, client key
 * (constant-time compare of SHA-256 digests so length leaks nothing).
 */
export function createRequestGuard(options: RequestGuardOptions): RequestGuard {
  const loopback = isLoopbackHost(options.host);
  const expected = options.apiKey === undefined ? undefined : sha256(options.apiKey);
  const origins = new Set(options.allowedOrigins);
  let allowedHosts: Set<string> | undefined;
  let allowedFor = -1;
  const hostsFor = (port: number) => {
    if (allowedHosts === undefined || allowedFor !== port) {
      // The usual loopback names, and the loopback address the proxy is bound to (127.0.0.2 …).
      const bound = options.host.toLowerCase();
      const names = [
        "localhost",
        "127.0.0.1",
        "[::1]",
        bound.includes(":") && !bound.startsWith("[") ? `[${bound}]` : bound,
      ];
      allowedHosts = new Set(names.map((h) => `${h}:${port}`));
      if (port === 80) for (const h of names) allowedHosts.add(h);
      allowedFor = port;
    }
    return allowedHosts;
  };

  return {
    check(req, checkOptions) {
      if (loopback) {
        const host = (req.headers.host ?? "").toLowerCase();
        if (!hostsFor(options.port()).has(host)) {
          throw new ProxyError(
            "forbidden_host",
            "forbidden: Host header must be localhost, 127.0.0.1, [::1] or the bound address, with the proxy's port",
          );
        }
      }
      const origin = req.headers.origin;
      const own =
        checkOptions?.sameOrigin === true &&
        origin !== undefined &&
        origin.toLowerCase() === `http://${(req.headers.host ?? "").toLowerCase()}`;
      if (origin !== undefined && !origins.has(origin) && !own) {
        throw new ProxyError(
          "forbidden_origin",
          "forbidden: this browser origin is not in allowedOrigins",
        );
      }
      if (expected !== undefined && checkOptions?.requireKey !== false) {
        const key = presentedKey(req);
        if (key === undefined || !timingSafeEqual(sha256(key), expected)) {
          throw new ProxyError(
            "unauthorized",
            "missing or wrong proxy key: send it as x-api-key or Authorization: Bearer",
          );
        }
      }
    },
  };
}
