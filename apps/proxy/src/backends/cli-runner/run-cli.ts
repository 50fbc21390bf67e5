import { type ChildProcess, spawn as nodeSpawn } from "node:child_process";
import type { AbortSignalLike } from "@switchyard/pool";
import { type CliEvent, createLineSplitter, parseCliLine } from "./cli-lines.js";

/** How one CLI run ended. */
export interface CliRunExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The tail of stderr (bounded). */
  stderr: string;
  /** Non-JSON stdout lines (bounded): old CLIs and usage errors print plain text. */
  stdoutText: string;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the process could not be started (e.g. ENOENT). */
  spawnError?: NodeJS.ErrnoException;
}

/** Options for {@link runCli}. */
export interface RunCliOptions {
  binary: string;
  args: readonly string[];
  /** Written to stdin, which is then closed. */
  stdin: string;
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** Aborting kills the run. */
  signal?: AbortSignalLike;
  /** Kill the run after this long. */
  timeoutMs: number;
  /** SIGTERM → SIGKILL grace. Default 2000. */
  killGraceMs?: number;
  /** Bytes of stderr/plain stdout kept. Default 16 KiB. */
  outputLimit?: number;
  /** Injectable for tests. */
  spawn?: typeof nodeSpawn;
}

/** A running CLI process. */
export interface CliRun {
  readonly pid: number | undefined;
  /** The stream-json events, in order, as they arrive; ends when stdout closes. */
  events: AsyncIterable<CliEvent>;
  /** Resolves when the process (and its stdio) closed. */
  exit: Promise<CliRunExit>;
  /** SIGTERM to the whole process group, SIGKILL after the grace. Idempotent. */
  kill(): void;
}

/** Signals a process group; false when it no longer exists. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** On proxy exit, no CLI run is left behind: SIGKILL every live process group. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of live) if (child.pid !== undefined) signalGroup(child.pid, "SIGKILL");
  });
}

function appendBounded(current: string, chunk: string, limit: number): string {
  const next = current + chunk;
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/**
 * Runs a vendor CLI (`claude`, `codex`) with an argument array (never a shell), `detached` so it leads its
 * own process group: a kill reaches anything it started. The prompt goes in on stdin.
 */
export function runCli(options: RunCliOptions): CliRun {
  const { killGraceMs = 2000, outputLimit = 16_384, spawn = nodeSpawn } = options;
  const queue: CliEvent[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  let stderr = "";
  let stdoutText = "";
  let timedOut = false;
  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  let killed = false;

  const child = spawn(options.binary, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  live.add(child);
  installExitHook();

  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const kill = () => {
    if (killed) return;
    killed = true;
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    if (!signalGroup(pid, "SIGTERM")) child.kill("SIGTERM");
    killTimer = setTimeout(() => {
      if (!signalGroup(pid, "SIGKILL")) child.kill("SIGKILL");
    }, killGraceMs);
    killTimer.unref();
  };

  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs);
  timer.unref();
  const onAbort = () => {
    aborted = true;
    kill();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  const splitter = createLineSplitter();
  const take = (line: string) => {
    const event = parseCliLine(line);
    if (event !== undefined) queue.push(event);
    else stdoutText = appendBounded(stdoutText, `${line}\n`, outputLimit);
  };
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    for (const line of splitter.push(chunk)) take(line);
    if (queue.length > 512) child.stdout?.pause();
    notify();
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = appendBounded(stderr, chunk, outputLimit);
  });
  // A child that dies before reading stdin makes the write fail with EPIPE: the exit says why.
  child.stdin?.on("error", () => {});
  child.stdin?.end(options.stdin);

  const exit = new Promise<CliRunExit>((resolve) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    child.once("error", (error: NodeJS.ErrnoException) => {
      spawnError = error;
      // A process that never started emits no `close` on some platforms.
      if (child.pid === undefined) finish(null, null);
    });
    let done = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      for (const line of splitter.end()) take(line);
      ended = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      live.delete(child);
      // Reap anything the CLI started that outlived it (its group shares its pid).
      if (child.pid !== undefined) signalGroup(child.pid, "SIGKILL");
      notify();
      resolve({
        code,
        signal,
        stderr,
        stdoutText,
        timedOut,
        aborted,
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    };
    child.once("close", finish);
  });

  const events: AsyncIterable<CliEvent> = {
    async *[Symbol.asyncIterator]() {
      while (true) {
        const next = queue.shift();
        if (next !== undefined) {
          if (queue.length < 64 && child.stdout?.isPaused()) child.stdout.resume();
          yield next;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };

  return { pid: child.pid, events, exit, kill };
}

/** A FIFO concurrency limit: `acquire` waits for a free slot and returns its release. */
export interface ConcurrencyLimiter {
  acquire(signal?: AbortSignalLike): Promise<() => void>;
  readonly active: number;
  readonly waiting: number;
}

/** Creates a {@link ConcurrencyLimiter} allowing `max` holders at once. */
export function createConcurrencyLimiter(max: number): ConcurrencyLimiter {
  let active = 0;
  const waiters: Array<{ grant: () => void }> = [];
  const release = () => {
    active -= 1;
    const next = waiters.shift();
    if (next !== undefined) next.grant();
  };
  const once = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return waiters.length;
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < max) {
        active += 1;
        return Promise.resolve(once());
      }
      return new Promise((resolve, reject) => {
        const waiter = {
          grant: () => {
            signal?.removeEventListener("abort", onAbort);
            active += 1;
            resolve(once());
          },
        };
        const onAbort = () => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        waiters.push(waiter);
      });
    },
  };
}
