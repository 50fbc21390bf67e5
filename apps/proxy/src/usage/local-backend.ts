import { isIP } from "node:net";
import type { BackendConfig } from "../config/types.js";

/** Backend kinds that never reach a paid upstream: echo answers itself, replay plays a file. */
const LOCAL_KINDS = new Set(["echo", "replay"]);

/**
 * True for a host on this machine or the local network: loopback, `localhost`, `*.localhost`,
 * `*.local` (mDNS), private IPv4 ranges, IPv6 unique-local and link-local addresses.
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local")) return true;
  if (isIP(host) === 4) {
    const [a = 0, b = 0] = host.split(".").map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (isIP(host) === 6) {
    if (host === "::1") return true;
    if (host.startsWith("::ffff:")) return isLocalHost(host.slice(7));
    return /^f[cd][0-9a-f]{0,2}:/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host);
  }
  return false;
}

/** True when `url` parses and its host is local ({@link isLocalHost}). */
export function isLocalUrl(url: string): boolean {
  try {
    return isLocalHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Whether a backend's traffic is free by default: `echo` and `replay`, and `openai`-type
 * backends whose every upstream is local (Ollama, vLLM, llama.cpp on this machine or the
 * LAN). Such a backend is charged only by prices the config file itself sets.
 */
export function isLocalBackend(config: BackendConfig): boolean {
  const type: string = config.type;
  if (LOCAL_KINDS.has(type)) return true;
  if (config.type !== "openai") return false;
  const urls = [
    ...(config.baseUrl === undefined ? [] : [config.baseUrl]),
    ...(config.targets ?? []).map((t) => t.baseUrl),
  ];
  return urls.length > 0 && urls.every(isLocalUrl);
}
