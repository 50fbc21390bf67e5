import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * The dashboard's login and CSRF state, in memory for the life of the process.
 *
 * How a browser gets in (the admin key never reaches the page):
 * 1. `switchyard dashboard` (which holds the key) calls `POST /ui/login-code` with it and gets
 *    a one-time code, valid {@link CODE_TTL_MS} and for one use only.
 * 2. It opens `/ui/login?code=…`; the proxy redeems the code for a random session token set as
 *    an `HttpOnly; SameSite=Strict` cookie (scripts cannot read it) and redirects to `/ui/`,
 *    so the code leaves the address bar at once.
 * 3. Read endpoints accept that cookie instead of the key; `POST /admin/resume` and
 *    `/admin/reload` with the cookie also need the per-process CSRF token in the
 *    `x-switchyard-csrf` header (the page reads it from its `<meta>`; another origin can read
 *    neither the page nor the token) and a same-origin `Origin`.
 * Without an admin key every local process may call the API anyway, so `GET /ui` hands out a
 * session by itself; the CSRF token and Origin checks still apply.
 */
export interface DashboardAuth {
  /** The per-process CSRF token (random, 32 bytes, base64url). */
  readonly csrfToken: string;
  /** The session cookie's name (per port: two proxies on one host keep their own). */
  cookieName(port: number): string;
  /** A new one-time login code. */
  issueCode(): { code: string; expiresAt: number };
  /** Spends a code; the new session token, or undefined when the code is unknown, used or old. */
  redeem(code: string): string | undefined;
  /** A new session token (for a proxy without an admin key). */
  newSession(): string;
  /** True when the request carries a live session cookie for this port. */
  hasSession(req: IncomingMessage, port: number): boolean;
  /** True when `x-switchyard-csrf` holds the CSRF token. */
  checkCsrf(req: IncomingMessage): boolean;
  /** `Set-Cookie` for a session token. */
  cookie(token: string, port: number): string;
}

/** How long a login code stays valid. */
export const CODE_TTL_MS = 60_000;
/** How long a dashboard session lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;
/** Outstanding codes and sessions kept at most (the oldest go first). */
const MAX_LIVE = 256;

/** Options of {@link createDashboardAuth}. */
export interface DashboardAuthOptions {
  now?: () => number;
  generateToken?: () => string;
}

const digest = (value: string) => createHash("sha256").update(value).digest("base64url");

function safeEqual(a: string, b: string): boolean {
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y);
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A map that forgets entries past their expiry and keeps at most {@link MAX_LIVE}. */
function expiring(now: () => number) {
  const map = new Map<string, number>();
  return {
    add(key: string, expiresAt: number) {
      map.set(key, expiresAt);
      if (map.size > MAX_LIVE) {
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
      }
    },
    live(key: string): boolean {
      const at = map.get(key);
      if (at === undefined) return false;
      if (at <= now()) {
        map.delete(key);
        return false;
      }
      return true;
    },
    delete: (key: string) => map.delete(key),
  };
}

/** Creates the dashboard's auth state. Codes and sessions are stored as SHA-256 digests. */
export function createDashboardAuth(options: DashboardAuthOptions = {}): DashboardAuth {
  const { now = Date.now, generateToken = () => randomBytes(32).toString("base64url") } = options;
  const codes = expiring(now);
  const sessions = expiring(now);
  const csrfToken = generateToken();
  const newSession = () => {
    const token = generateToken();
    sessions.add(digest(token), now() + SESSION_TTL_MS);
    return token;
  };
  const cookieName = (port: number) => `switchyard_ui_${port}`;
  return {
    csrfToken,
    cookieName,
    issueCode() {
      const code = generateToken();
      const expiresAt = now() + CODE_TTL_MS;
      codes.add(digest(code), expiresAt);
      return { code, expiresAt };
    },
    redeem(code) {
      const key = digest(code);
      if (!codes.live(key)) return undefined;
      codes.delete(key);
      return newSession();
    },
    newSession,
    hasSession(req, port) {
      const token = readCookie(req.headers.cookie, cookieName(port));
      return token !== undefined && token.length > 0 && sessions.live(digest(token));
    },
    checkCsrf(req) {
      const sent = req.headers["x-switchyard-csrf"];
      return typeof sent === "string" && safeEqual(sent, csrfToken);
    },
    cookie: (token, port) =>
      `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}`,
  };
}
