import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Environment variables switchyard reads; a subset of `process.env`. */
export type SwitchyardEnv = Record<string, string | undefined>;

/** The switchyard home directory: `$SWITCHYARD_HOME`, else `~/.switchyard`. */
export function resolveHome(env: SwitchyardEnv): string {
  const fromEnv = env.SWITCHYARD_HOME?.trim();
  if (fromEnv) return resolve(expandTilde(fromEnv));
  return join(homedir(), ".switchyard");
}

/** The config file path: the explicit path if given, else `$SWITCHYARD_CONFIG`, else `<home>/config.json`. */
export function resolveConfigPath(options: {
  flag?: string;
  env: SwitchyardEnv;
  home: string;
  cwd?: string;
}): { path: string; explicit: boolean; source: "flag" | "env" | "default" } {
  const cwd = options.cwd ?? process.cwd();
  if (options.flag?.trim()) {
    return { path: resolve(cwd, expandTilde(options.flag.trim())), explicit: true, source: "flag" };
  }
  const fromEnv = options.env.SWITCHYARD_CONFIG?.trim();
  if (fromEnv) return { path: resolve(cwd, expandTilde(fromEnv)), explicit: true, source: "env" };
  return { path: join(options.home, "config.json"), explicit: false, source: "default" };
}

function expandTilde(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return join(homedir(), path.slice(2));
  return path;
}
