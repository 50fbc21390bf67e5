import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/** What {@link probeClaudeCli} found. */
export interface ClaudeCliProbe {
  installed: boolean;
  /** Resolved path of the binary, when found. */
  path?: string;
  /** e.g. `2.1.330`, from `claude --version`. */
  version?: string;
  /** Why it is not usable (safe to print). */
  error?: string;
}

/** Options for {@link probeClaudeCli}. */
export interface ProbeClaudeCliOptions {
  /** Binary path or name; default `claude` (looked up on PATH). */
  binary?: string;
  /** Default 5000. */
  timeoutMs?: number;
  /** Environment used for the PATH lookup and the run. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** Finds an executable the way a shell would: as given when it has a slash, else on PATH. */
export async function resolveBinary(
  binary: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const candidates =
    binary.includes("/") || isAbsolute(binary)
      ? [binary]
      : (env.PATH ?? "")
          .split(delimiter)
          .filter((d) => d.length > 0)
          .map((d) => join(d, binary));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  return undefined;
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
export async function probeClaudeCli(options: ProbeClaudeCliOptions = {}): Promise<ClaudeCliProbe> {
  const { binary = "claude", timeoutMs = 5000, env = process.env } = options;
  const path = await resolveBinary(binary, env);
  if (path === undefined) {
    return {
      installed: false,
      error: `claude CLI not found (${binary}): install Claude Code (npm install -g @anthropic-ai/claude-code) or set the backend's "binary"`,
    };
  }
  return new Promise((resolve) => {
    execFile(
      path,
      ["--version"],
      { timeout: timeoutMs, env, maxBuffer: 64 * 1024 },
      (error, stdout) => {
        const version = /(\d+\.\d+\.\d+[\w.-]*)/.exec(String(stdout))?.[1];
        if (error !== null && version === undefined) {
          const reason = error.killed
            ? `timed out after ${timeoutMs} ms`
            : `exited with ${error.code ?? "an error"}`;
          resolve({ installed: false, path, error: `\`${binary} --version\` ${reason}` });
          return;
        }
        resolve({ installed: true, path, ...(version === undefined ? {} : { version }) });
      },
    );
  });
}
