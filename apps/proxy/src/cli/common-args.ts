import type { ArgsDef } from "citty";
import { resolveConfigPath, resolveHome, type SwitchyardEnv } from "../config/home.js";

/** `--config FILE`, accepted by every command that reads config. */
export const configArg = {
  config: {
    type: "string",
    description: "Config file (default: $SWITCHYARD_CONFIG or <home>/config.json)",
    valueHint: "file",
  },
} as const satisfies ArgsDef;

/** `--url`, `--port`, `--host` and `--config`: where a running proxy is (see `resolveProxyAddress`). */
export const proxyAddressArgs = {
  url: {
    type: "string",
    description: "Proxy URL (default: from port/host config)",
    valueHint: "url",
  },
  port: { type: "string", description: "Proxy port", valueHint: "port" },
  host: { type: "string", description: "Proxy host", valueHint: "host" },
  ...configArg,
} as const satisfies ArgsDef;

/** `--json`, for machine-readable output. */
export const jsonArg = {
  json: { type: "boolean", description: "Print JSON instead of text" },
} as const satisfies ArgsDef;

/** Home and config path for a command, from `--config` and the environment. */
export function locateConfig(options: { config?: string; env?: SwitchyardEnv }): {
  home: string;
  configPath: string;
} {
  const env = options.env ?? process.env;
  const home = resolveHome(env);
  return { home, configPath: resolveConfigPath({ flag: options.config, env, home }).path };
}

/** Left-aligned columns for terminal tables. */
export function formatTable(rows: string[][], indent = ""): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
          .join("  "),
    )
    .join("\n");
}
