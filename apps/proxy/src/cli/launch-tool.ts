import { spawn } from "node:child_process";
import type { Logger } from "../backends/types.js";
import type { ResolvedConfig } from "../config/types.js";
import type { CaptureTarget } from "../server/capture-tap.js";
import { CliError } from "./action.js";
import { pointToolAt } from "./tool-env.js";
import { SWITCHYARD_VERSION } from "./version.js";

/** `20260105-093012` (UTC), for capture file names. */
export function fileStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
}

/** The command after `--` in a command line, or a usage error saying how to give one. */
export function commandAfterDashes(rawArgs: readonly string[], usage: string): string[] {
  const at = rawArgs.indexOf("--");
  const command = at < 0 ? [] : rawArgs.slice(at + 1);
  if (command.length === 0) throw new CliError("usage", `no command to run: ${usage}`);
  return command;
}

/** True when a switchyard proxy answers `/health` at `url` within a second. */
async function proxyAnswers(url: string, clientKey: string | undefined): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, {
      headers: clientKey ? { "x-api-key": clientKey } : {},
      signal: AbortSignal.timeout(1000),
    });
    const body = (await res.json().catch(() => ({}))) as { status?: unknown };
    return res.ok && body.status === "ok";
  } catch {
    return false;
  }
}

const hostInUrl = (host: string) => (host.includes(":") ? `[${host}]` : host);

/**
 * Runs `fn` with a proxy URL: the configured proxy when one is running and `reuse` is set,
 * else a proxy started in this process on a free port for the duration (with `capture` on
 * when given), drained and closed after.
 */
export async function withProxy<T>(
  options: { config: ResolvedConfig; reuse: boolean; capture?: CaptureTarget; logger: Logger },
  fn: (url: string, started: boolean) => Promise<T>,
): Promise<T> {
  const { config, logger } = options;
  const configured = `http://${hostInUrl(config.host)}:${config.port}`;
  if (options.reuse && (await proxyAnswers(configured, config.apiKey)))
    return fn(configured, false);
  const { startServer } = await import("../server/index.js");
  const server = await startServer({
    config: { ...config, port: 0 },
    version: SWITCHYARD_VERSION,
    logger,
    ...(options.capture !== undefined ? { capture: options.capture } : {}),
  });
  try {
    return await fn(server.url, true);
  } finally {
    await server.close(Math.min(config.shutdownGraceMs, 5000));
  }
}

/**
 * Runs a tool pointed at the proxy (see {@link pointToolAt}) with the terminal's stdio;
 * resolves with its exit code. Ctrl-C goes to the tool (same process group); SIGTERM is
 * passed on.
 */
export function runTool(options: {
  url: string;
  command: readonly string[];
  env: NodeJS.ProcessEnv;
  clientKey?: string;
}): Promise<number> {
  const { command, env } = pointToolAt(options);
  const [program = "", ...args] = command;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: "inherit", env });
    const forward = () => child.kill("SIGTERM");
    const onInt = () => {}; // the tool gets Ctrl-C itself; we wait for it to exit
    process.on("SIGTERM", forward);
    process.on("SIGINT", onInt);
    const cleanup = () => {
      process.off("SIGTERM", forward);
      process.off("SIGINT", onInt);
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(
        new CliError(
          "failed",
          error.code === "ENOENT"
            ? `cannot run ${program}: no such command (check PATH)`
            : `cannot run ${program}: ${error.code ?? error.message}`,
        ),
      );
    });
    child.on("close", (code, signal) => {
      cleanup();
      resolve(code ?? (signal ? 128 + (signal === "SIGINT" ? 2 : 15) : 1));
    });
  });
}
