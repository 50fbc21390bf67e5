import { flattenConfig, sourceOf } from "../config/flatten.js";
import { redactConfig } from "../config/redact.js";
import type { ResolvedConfig } from "../config/types.js";
import type { AdminHandler } from "./admin.js";
import type { ReloadResult } from "./reloader.js";

/** The body of `GET /config`: what `switchyard config --json` shows, for the serving config. */
export interface ConfigView {
  configPath: string;
  configFileExists: boolean;
  /** Every value, redacted (keys as their source: `env:NAME`, `stored`, `literal`). */
  rows: Array<{ path: string; value: string; source: string }>;
  warnings: string[];
  /** Live reload: null when this proxy does not reload. */
  reload: { watching: boolean; configPath: string; last: ReloadResult | null } | null;
}

/** `GET /config`: the effective config now serving, redacted, with where each value came from. */
export function createConfigHandler(options: {
  current: () => ResolvedConfig;
  reloadStatus?: () => ConfigView["reload"];
}): AdminHandler {
  return ({ sink }) => {
    const config = options.current();
    const body: ConfigView = {
      configPath: config.configPath,
      configFileExists: config.configFileExists ?? false,
      rows: flattenConfig(redactConfig(config)).map(([path, value]) => ({
        path,
        value,
        source: sourceOf(config, path),
      })),
      warnings: config.warnings ?? [],
      reload: options.reloadStatus?.() ?? null,
    };
    sink.json(200, body);
  };
}
