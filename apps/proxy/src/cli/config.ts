import { defineCommand } from "citty";
import { ConfigError } from "../config/errors.js";
import { flattenConfig, META_FIELDS, sourceOf } from "../config/flatten.js";
import { type ConfigFlags, loadConfig } from "../config/load.js";
import { redactConfig } from "../config/redact.js";
import type { ResolvedConfig } from "../config/types.js";
import { action } from "./action.js";
import { configArg, formatTable, jsonArg } from "./common-args.js";

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
