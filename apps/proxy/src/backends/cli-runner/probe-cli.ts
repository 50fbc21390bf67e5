import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/** What {@link probeCli} found. */
export interface CliProbe {
  installed: boolean;
  /** Resolved path of the binary, when found. */
  path?: string;
  /** e.g. `2.1.330`, from `<binary> --version`. */
  version?: string;
  /** Why it is not usable (safe to print). */
  error?: string;
}

/** Options for {@link probeCli}. */
export interface ProbeCliOptions {
  /** Binary path or name (looked up on PATH). */
  binary: string;
  /** What to tell the user when it is not found (how to install it, which option to set). */
  notFound: string;
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

/** What one short probe command printed and how it ended. */
export interface ProbeCommandResult {
  /** Exit code; undefined when it was killed (timeout) or could not start. */
  code?: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why it could not start (`ENOENT`, `EACCES`, …). */
  spawnError?: string;
}

/** Runs `path args…` (argument array, no shell), bounded in time and output. */
export function runProbeCommand(
  path: string,
  args: readonly string[],
  options: { timeoutMs: number; env: NodeJS.ProcessEnv; cwd?: string },
): Promise<ProbeCommandResult> {
  return new Promise((resolve) => {
    execFile(
      path,
      [...args],
      {
        timeout: options.timeoutMs,
        env: options.env,
        maxBuffer: 1024 * 1024,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : undefined;
        const spawnError = typeof error?.code === "string" ? error.code : undefined;
        resolve({
          ...(code === undefined ? {} : { code }),
          ...(spawnError === undefined ? {} : { spawnError }),
          stdout: String(stdout),
          stderr: String(stderr),
          timedOut: error?.killed === true,
        });
      },
    );
  });
}

/**
 * Reports whether a vendor CLI is installed and which version, by running `<binary>
 * --version`. It reads none of the CLI's files and makes no requests. For `switchyard doctor`
 * and `switchyard backend add`.
 *
 * @example
 * const probe = await probeCli({ binary: "codex", notFound: "install @openai/codex" });
 */
export async function probeCli(options: ProbeCliOptions): Promise<CliProbe> {
  const { binary, timeoutMs = 5000, env = process.env } = options;
  const path = await resolveBinary(binary, env);
  if (path === undefined) return { installed: false, error: options.notFound };
  const run = await runProbeCommand(path, ["--version"], { timeoutMs, env });
  const version = /(\d+\.\d+\.\d+[\w.-]*)/.exec(run.stdout)?.[1];
  if (run.code !== 0 && version === undefined) {
    const reason = run.timedOut
      ? `timed out after ${timeoutMs} ms`
      : `exited with ${run.code ?? "an error"}`;
    return { installed: false, path, error: `\`${binary} --version\` ${reason}` };
  }
  return { installed: true, path, ...(version === undefined ? {} : { version }) };
}
