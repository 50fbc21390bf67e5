import { ConfigError } from "./errors.js";
import { maskUrlSecrets, SCHEME_URL } from "./redact.js";
import { looksLikeSecret } from "./secret-shape.js";

/**
 * Render a bad value for an error message without dumping large objects. A string is quoted
 * unless it may be a credential: `secret` (the field holds one) or a key-shaped value is
 * described by its length only, never shown.
 */
export function describeValue(value: unknown, options: { secret?: boolean } = {}): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    if (value !== "" && (options.secret || looksLikeSecret(value))) return aString(value);
    // A URL's userinfo and `?key=`-like values are masked wherever it turns up.
    const shown = SCHEME_URL.test(value) ? maskUrlSecrets(value) : value;
    return JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown);
  }
  return String(value);
}

/**
 * Render a bad value of a URL field (`baseUrl`, `--url`, …) for an error message. Users paste
 * keys into these fields by mistake, so a string is shown only when it is written as a URL
 * (`scheme://…`), with its userinfo and credential-like query values masked; anything else
 * is described without its content.
 */
export function describeUrlValue(value: unknown): string {
  if (typeof value !== "string" || value === "") return describeValue(value);
  let parsed: URL | undefined;
  try {
    parsed = SCHEME_URL.test(value) ? new URL(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || parsed.host === "") {
    return `${aString(value)} that is not an http(s) URL`;
  }
  return describeValue(value);
}

/** `a string of 27 characters`: a string described without its content. */
function aString(value: string): string {
  return `a string of ${value.length} character${value.length === 1 ? "" : "s"}`;
}

/** Parse a port from a flag or environment variable (`where` names it in the error). */
export function parsePortValue(value: string | number, where: string): number {
  const port =
    typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError({
      code: "invalid_value",
      message: `${where} must be an integer from 0 to 65535, got ${describeValue(value)}`,
    });
  }
  return port;
}

/** Parse a host name or IP address from a flag or environment variable. */
export function parseHostValue(value: string, where: string): string {
  const host = value.trim();
  if (!host || /[\s/]/.test(host)) {
    throw new ConfigError({
      code: "invalid_value",
      message: `${where} must be a host name or IP address (e.g. 127.0.0.1), got ${describeValue(value)}`,
    });
  }
  return host;
}

/** True when `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h) || h === "::ffff:127.0.0.1"
  );
}

/** The host a client should connect to for a server bound on `host` (wildcards become loopback). */
export function connectHost(host: string): string {
  const h = host.replace(/^\[|\]$/g, "");
  if (h === "0.0.0.0" || h === "") return "127.0.0.1";
  if (h === "::") return "[::1]";
  return h.includes(":") ? `[${h}]` : h;
}

/** True for a string that parses as an `http:` or `https:` URL. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** A URL safe to print: no user info, no query string. */
export function displayUrl(value: string): string {
  try {
    const url = new URL(value);
    url.username = "";
    url.password = "";
    url.search = "";
    url.hash = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return "(invalid URL)";
  }
}
