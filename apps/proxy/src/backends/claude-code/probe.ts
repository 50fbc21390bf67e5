import { type CliProbe, probeCli } from "../cli-runner/probe-cli.js";

/** What {@link probeClaudeCli} found. */
export type ClaudeCliProbe = CliProbe;

/** Options for {@link probeClaudeCli}. */
export interface ProbeClaudeCliOptions {
  /** Binary path or name; default `claude` (looked up on PATH). */
  binary?: string;
  /** Default 5000. */
  timeoutMs?: number;
  /** Environment used for the PATH lookup and the run. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Reports whether the official `claude` CLI is installed and which version, by running
 * `claude --version` (5 s timeout). It reads no Claude Code files and makes no requests.
 * For `switchyard doctor` and `switchyard backend add … --type claude-code`.
 *
 * @example
 * const probe = await probeClaudeCli({ binary: config.binary });
 * if (!probe.installed) console.log(probe.error);
 */
export function probeClaudeCli(options: ProbeClaudeCliOptions = {}): Promise<ClaudeCliProbe> {
  const { binary = "claude", ...rest } = options;
  return probeCli({
    binary,
    notFound: `claude CLI not found (${binary}): install Claude Code (npm install -g @anthropic-ai/claude-code) or set the backend's "binary"`,
    ...rest,
  });
}
