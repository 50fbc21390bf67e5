import { basename } from "node:path";

/**
 * Where common tools read their API base URL, and what `switchyard run` sets. A tool that
 * takes it from its own config rather than the environment gets it the way it reads it.
 *
 * | variable / argument | value | read by |
 * |---|---|---|
 * | `ANTHROPIC_BASE_URL` | `URL` | Claude Code, Anthropic SDKs (Python, TypeScript) |
 * | `OPENAI_BASE_URL` | `URL/v1` | OpenAI SDKs (Python, Node), most OpenAI-compatible tools |
 * | `OPENAI_API_BASE` | `URL/v1` | Aider and LiteLLM, LangChain (older variable name) |
 * | `codex -c model_provider=… -c model_providers.switchyard={…}` | `URL/v1` | Codex CLI (its own config overrides, before the subcommand) |
 *
 * A key variable (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY`) is set only when the proxy wants its
 * client key (it is that key) or when the variable is unset (`switchyard`, so a tool that
 * insists on a key starts); the proxy never forwards a client's key upstream.
 *
 * Codex gets a provider of its own (`wire_api = "responses"`, key from `SWITCHYARD_CODEX_KEY`)
 * rather than `-c openai_base_url=…`: its built-in `openai` provider first tries the Responses
 * API over a WebSocket (seven `GET /v1/responses` upgrade attempts, about 7 s, before falling
 * back to HTTPS) and sends the user's own OpenAI login, not the proxy's key.
 */
export const BASE_URL_VARIABLES = [
  { name: "ANTHROPIC_BASE_URL", suffix: "" },
  { name: "OPENAI_BASE_URL", suffix: "/v1" },
  { name: "OPENAI_API_BASE", suffix: "/v1" },
] as const;

/** The command line and environment that point a tool at the proxy at `url`. */
export function pointToolAt(options: {
  url: string;
  command: readonly string[];
  env: NodeJS.ProcessEnv;
  /** The proxy's client key, when it requires one. */
  clientKey?: string;
}): { command: string[]; env: NodeJS.ProcessEnv } {
  const { url, clientKey } = options;
  const env: NodeJS.ProcessEnv = { ...options.env };
  for (const { name, suffix } of BASE_URL_VARIABLES) env[name] = `${url}${suffix}`;
  for (const name of ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"]) {
    if (clientKey !== undefined) env[name] = clientKey;
    else if (!env[name]) env[name] = "switchyard";
  }
  const [program = "", ...rest] = options.command;
  const command = [program, ...rest];
  if (/^codex(?:\.(?:js|cmd|exe))?$/.test(basename(program))) {
    command.splice(1, 0, ...codexOverrides(`${url}/v1`));
    env[CODEX_KEY_VARIABLE] = clientKey ?? "switchyard";
  }
  return { command, env };
}

/** The variable Codex reads the proxy's key from (its provider's `env_key`). */
export const CODEX_KEY_VARIABLE = "SWITCHYARD_CODEX_KEY";

/**
 * Codex's `-c` overrides (values are TOML) that select a `switchyard` model provider speaking
 * the Responses API over HTTPS at `baseUrl`. A `-c` the user passes after them still wins.
 */
export function codexOverrides(baseUrl: string): string[] {
  const provider = `{ name = "switchyard", base_url = ${JSON.stringify(baseUrl)}, wire_api = "responses", env_key = "${CODEX_KEY_VARIABLE}" }`;
  return ["-c", 'model_provider="switchyard"', "-c", `model_providers.switchyard=${provider}`];
}
