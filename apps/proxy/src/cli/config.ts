import { defineCommand } from "citty";
import { ConfigError } from "../config/errors.js";
import { type ConfigFlags, loadConfig } from "../config/load.js";
import { redactConfig } from "../config/redact.js";
import type { ResolvedConfig } from "../config/types.js";
import { action } from "./action.js";
import { configArg, formatTable, jsonArg } from "./common-args.js";

const META_FIELDS = new Set([
  "sources",
  "keySources",
  "warnings",
  "configFileExists",
  "unavailableBackends",
]);

/**
 * Load config for display: keys resolved when possible so a missing variable is reported,
 * otherwise loaded without resolving keys so the rest is still shown.
 */
export async function loadConfigForDisplay(
  flags: ConfigFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ config: ResolvedConfig; problems: string[] }> {
  try {
    return { config: await loadConfig({ flags, env }), problems: [] };
  } catch (error) {
    if (!ConfigError.isInstance(error) || error.code !== "missing_env") throw error;
    return {
      config: await loadConfig({ flags, env, resolveSecrets: false }),
      problems: [error.message],
    };
  }
}

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

/** `switchyard config`. */
export const configCommand = defineCommand({
  meta: { name: "config", description: "Show the effective config and where each value came from" },
  args: {
    port: {
      type: "string",
      description: "As `switchyard proxy --port` would see it",
      valueHint: "port",
    },
    host: {
      type: "string",
      description: "As `switchyard proxy --host` would see it",
      valueHint: "host",
    },
    ...configArg,
    ...jsonArg,
  },
  run: action(async ({ args }) => {
    const { config, problems } = await loadConfigForDisplay({
      config: args.config,
      port: args.port,
      host: args.host,
    });
    const redacted = redactConfig(config);
    const warnings = [...(config.warnings ?? []), ...problems];
    if (args.json) {
      const body = Object.fromEntries(
        Object.entries(redacted).filter(([k]) => !META_FIELDS.has(k)),
      );
      const sources = Object.fromEntries(
        flattenConfig(redacted).map(([path]) => [path, sourceOf(config, path)]),
      );
      process.stdout.write(`${JSON.stringify({ config: body, sources, warnings }, null, 2)}\n`);
      return;
    }
    const rows = flattenConfig(redacted).map(([path, value]) => [
      path,
      value,
      sourceOf(config, path),
    ]);
    const header =
      `# ${config.configPath} ${config.configFileExists ? "" : "(not found: defaults and environment)"}`.trimEnd();
    const notes = warnings.map((w) => `warning: ${w}`);
    process.stdout.write(
      `${[header, formatTable([["KEY", "VALUE", "SOURCE"], ...rows]), ...notes].join("\n")}\n`,
    );
  }),
});
