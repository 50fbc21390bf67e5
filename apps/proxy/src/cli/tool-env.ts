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
 * | `codex -c openai_base_url="URL/v1"` | `URL/v1` | Codex CLI (its own config override, before the subcommand) |
 *
 * A key variable (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY`) is set only when the proxy wants its
 * client key (it is that key) or when the variable is unset (`switchyard`, so a tool that
 * insists on a key starts); the proxy never forwards a client's key upstream.
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
    command.splice(1, 0, "-c", `openai_base_url="${url}/v1"`);
  }
  return { command, env };
}
