import {
  type ChildProcess,
  type ChildProcessWithoutNullStreams,
  execFile,
  spawn,
} from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, rmdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package directory (`apps/proxy`). */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The built CLI the tests run. */
export const CLI = join(PACKAGE_DIR, "dist", "cli.js");

/** A key that must never appear in any output. */
export const CANARY = "sk-canary-cli-7f3a9c1e5b2d4f6a8c0e";

/** Build `dist/cli.js` once if it is missing (several test files may ask at the same time). */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(CLI)) return;
  const lock = join(tmpdir(), "switchyard-cli-build.lock");
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
      if (existsSync(CLI)) return;
    }
  }
  try {
    if (!existsSync(CLI)) {
      await new Promise<void>((resolve, reject) =>
        execFile("npx", ["tsup"], { cwd: PACKAGE_DIR }, (e) => (e ? reject(e) : resolve())),
      );
    }
  } finally {
    await rmdir(lock).catch(() => {});
  }
}

/** A fresh `SWITCHYARD_HOME` and its cleanup. */
export async function tempHome(): Promise<{ home: string; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), "sy-cli-"));
  // Retried: a proxy just killed may still be writing its last file there (ENOTEMPTY).
  return {
    home,
    cleanup: () => rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }),
  };
}

/** The environment a CLI run sees: nothing from the developer's shell but PATH. */
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, SWITCHYARD_HOME: home, NO_COLOR: "1", ...extra };
}

/** Outcome of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `switchyard ...args` to completion. */
export function runCli(
  args: string[],
  options: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: options.env,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 15_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A `switchyard proxy` child process. */
export interface ProxyProcess {
  child: ChildProcess;
  url: string;
  port: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running (cleanup). */
  kill: () => void;
}

/** Start `switchyard proxy ...args` and wait for its banner. */
export async function startProxy(args: string[], env: NodeJS.ProcessEnv): Promise<ProxyProcess> {
  const child = spawn(process.execPath, [CLI, "proxy", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 10 s: ${stderr}`)), 10_000);
    child.stderr.on("data", (d) => {
      stderr += d;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`proxy exited before listening: ${stderr}`));
    });
  });
  return {
    child,
    url,
    port: Number(new URL(url).port),
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** A `switchyard …` child with piped stdin, for commands that print a prompt and wait. */
export interface InteractiveCli {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** The first match of `pattern` on stderr, polled for up to 20 s (then the child is killed). */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Everything printed so far, stdout then stderr. */
  out(): string;
}

/** Starts `switchyard ...args` with piped stdin (e.g. `login … --manual`). */
export function startInteractiveCli(args: string[], env: NodeJS.ProcessEnv): InteractiveCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    env,
    stdio: ["pipe", "pipe", "pipe"],
  }) as ChildProcessWithoutNullStreams;
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    child,
    exited,
    async waitFor(pattern) {
      for (let i = 0; i < 400; i++) {
        const match = pattern.exec(stderr);
        if (match) return match;
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGKILL");
      throw new Error(`switchyard ${args.join(" ")} printed no ${pattern}: ${stderr}`);
    },
    out: () => stdout + stderr,
  };
}
