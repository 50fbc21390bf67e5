import { type CliProbe, probeCli, runProbeCommand } from "../cli-runner/probe-cli.js";

/** What {@link probeCodexCli} found. */
export interface CodexCliProbe extends CliProbe {
  /** `codex login status` exited 0. Undefined when it could not be asked. */
  loggedIn?: boolean;
  /** How, in a few safe words (`ChatGPT`, `an API key`), never the key or token itself. */
  login?: string;
}

/** Options for {@link probeCodexCli}. */
export interface ProbeCodexCliOptions {
  /** Binary path or name; default `codex` (looked up on PATH). */
  binary?: string;
  /** Per command. Default 5000. */
  timeoutMs?: number;
  /** Environment for the PATH lookup and the runs (`CODEX_HOME` included). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The kind of login `codex login status` names; its output (a masked key) is never passed on. */
function loginKind(output: string): string | undefined {
  if (/chatgpt/i.test(output)) return "ChatGPT";
  if (/api key/i.test(output)) return "an API key";
  if (/access token/i.test(output)) return "an access token";
  return undefined;
}

/**
 * Reports whether the official `codex` CLI is installed, which version, and whether it is
 * logged in, by running `codex --version` and `codex login status` (the CLI's own answer, by
 * its exit code). It reads none of Codex's files and makes no requests of its own.
 * For `switchyard doctor` and `switchyard backend add … --type codex`.
 *
 * @example
 * const probe = await probeCodexCli({ binary: config.binary });
 * if (probe.loggedIn === false) console.log("run `codex login`");
 */
export async function probeCodexCli(options: ProbeCodexCliOptions = {}): Promise<CodexCliProbe> {
  const { binary = "codex", timeoutMs = 5000, env = process.env } = options;
  const probe = await probeCli({
    binary,
    timeoutMs,
    env,
    notFound: `codex CLI not found (${binary}): install it (npm install -g @openai/codex) and run \`codex login\`, or set the backend's "binary"`,
  });
  if (!probe.installed || probe.path === undefined) return probe;
  const status = await runProbeCommand(probe.path, ["login", "status"], { timeoutMs, env });
  if (status.code === undefined) return probe;
  const kind = status.code === 0 ? loginKind(`${status.stdout}\n${status.stderr}`) : undefined;
  return { ...probe, loggedIn: status.code === 0, ...(kind === undefined ? {} : { login: kind }) };
}
