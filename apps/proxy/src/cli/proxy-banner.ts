import { BACKEND_PRESETS, findPreset } from "../config/presets.js";
import type { ResolvedConfig } from "../config/types.js";
import { connectHost, displayUrl } from "../config/values.js";

/** The order the banner suggests presets in: the first not yet configured is shown. */
const SUGGESTED = ["groq", "openrouter", "openai", "anthropic", "ollama", "claude"] as const;

/** The startup banner `switchyard proxy` prints on stderr. Never includes a key. */
export function formatBanner(options: {
  config: ResolvedConfig;
  version: string;
  url: string;
  port: number;
  /** How the user runs the CLI: `switchyard` when installed, `pnpm -s switchyard` in a clone. */
  command?: string;
}): string {
  const { config, version, port } = options;
  const cli = options.command ?? "switchyard";
  const base = `http://${connectHost(config.host)}:${port}`;
  const backends = Object.entries(config.backends).map(([name, backend]) => {
    if (backend.type === "echo") return name;
    if (backend.type === "claude-code") return `${name} (claude CLI)`;
    if (backend.type === "codex") return `${name} (codex CLI)`;
    if (backend.type === "replay") return `${name} (replay ${backend.cassette})`;
    const where = backend.baseUrl
      ? displayUrl(backend.baseUrl)
      : `${backend.targets?.length ?? 0} targets`;
    return `${name} (${where})`;
  });
  const routes = config.routes.map((r) => `${r.match} → ${r.backend}`);
  const routing = `${routes.length > 0 ? routes.join(", ") : "no routes"}; default → ${config.defaultBackend ?? "none (use backend:model)"}`;
  const auth = config.apiKey ? ` -H "authorization: Bearer $SWITCHYARD_API_KEY"` : "";
  const body = `'{"model":"echo:hello","messages":[{"role":"user","content":"hi"}]}'`;
  const fileNote = config.configFileExists
    ? ""
    : " (not found: serving echo plus OPENAI_API_KEY / ANTHROPIC_API_KEY backends if set)";
  const host = config.host.replace(/^\[|\]$/g, "");
  const wildcard = host === "0.0.0.0" || host === "::" || host === "";
  const exposure = wildcard ? ` (bound to ${host || "0.0.0.0"}: every network interface)` : "";
  const suggestion = SUGGESTED.find((name) => config.backends[name] === undefined);
  const preset = suggestion === undefined ? undefined : findPreset(suggestion);
  const addOne =
    suggestion === undefined
      ? `${cli} backend add NAME --preset PRESET`
      : `${cli} backend add ${suggestion}${preset?.needsKey === false ? "" : " --key -"}`;
  const lines = [
    `switchyard ${version} listening on ${base}${exposure}`,
    `  config    ${config.configPath}${fileNote}`,
    `  backends  ${backends.join(", ")}`,
    `  routes    ${routing}`,
  ];
  if (config.apiKey)
    lines.push("  auth      clients must send the client key (SWITCHYARD_API_KEY)");
  lines.push(
    `  try it    curl -s ${base}/v1/chat/completions -H 'content-type: application/json'${auth} -d ${body}`,
    `  add one   ${addOne}     (presets: ${Object.keys(BACKEND_PRESETS).join(" ")})`,
    `  tools     OPENAI_BASE_URL=${base}/v1   ANTHROPIC_BASE_URL=${base}`,
    "  request log: JSON lines on stdout; Ctrl-C drains and stops",
  );
  return `${lines.join("\n")}\n`;
}

/**
 * How the running CLI is invoked, for hints that name a command: a clone (this file inside a
 * pnpm workspace, not under node_modules) has no `switchyard` on PATH, only `pnpm -s switchyard`.
 */
export function cliCommand(script: string | undefined, inWorkspace: (dir: string) => boolean) {
  if (script === undefined || /[\\/]node_modules[\\/]/.test(script)) return "switchyard";
  const dir = script.replace(/[\\/]apps[\\/]proxy[\\/]dist[\\/][^\\/]+$/, "");
  return dir !== script && inWorkspace(dir) ? "pnpm -s switchyard" : "switchyard";
}
