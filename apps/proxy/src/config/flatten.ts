import type { ResolvedConfig } from "./types.js";

/** Bookkeeping fields of a resolved config, not values to show. */
export const META_FIELDS = new Set([
  "sources",
  "keySources",
  "warnings",
  "configFileExists",
  "unavailableBackends",
]);

/** Dotted `path → printable value` pairs of the redacted config. */
export function flattenConfig(
  value: unknown,
  prefix = "",
  out: [string, string][] = [],
): [string, string][] {
  if (Array.isArray(value)) {
    if (value.length === 0 || value.every((v) => typeof v !== "object" || v === null)) {
      out.push([prefix, JSON.stringify(value)]);
    } else {
      value.forEach((v, i) => {
        flattenConfig(v, `${prefix}[${i}]`, out);
      });
    }
  } else if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([k]) => prefix !== "" || !META_FIELDS.has(k));
    if (entries.length === 0) out.push([prefix, "{}"]);
    for (const [k, v] of entries) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.push([prefix, typeof value === "string" ? value : JSON.stringify(value)]);
  }
  return out;
}

/** Where the value at `path` came from: the nearest recorded source (flag, env, file, default). */
export function sourceOf(config: ResolvedConfig, path: string): string {
  const key = config.keySources?.[path];
  if (key === "stored") return "credentials";
  if (key === "none") return "-";
  let probe = path;
  while (probe) {
    const found = config.sources[probe];
    if (found) return found;
    const cut = Math.max(probe.lastIndexOf("."), probe.lastIndexOf("["));
    probe = cut > 0 ? probe.slice(0, cut) : "";
  }
  return "default";
}
