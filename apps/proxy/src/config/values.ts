import { ConfigError } from "./errors.js";

/** Render a bad value for an error message without dumping large objects. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
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
