import { type ChildProcess, fork, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { BenchRequest } from "./paths.js";

const here = import.meta.dirname;

/** A server the bench measures (or the mock it talks to), with its pid. */
export interface Server {
  name: string;
  child: ChildProcess;
  origin: string;
}

/** Starts `node [nodeFlags] file args…` and waits for its `PORT n` line. */
export function startScript(
  name: string,
  file: string,
  args: string[] = [],
  nodeFlags: string[] = [],
): Promise<Server> {
  const child = spawn(process.execPath, [...nodeFlags, join(here, file), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        resolve({ name, child, origin: `http://127.0.0.1:${m[1]}` });
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${name} exited early (${code})`)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `switchyard proxy` on a free port and waits for `/health`. */
export async function startSwitchyard(options: {
  name: string;
  cli: string;
  config: string;
  home: string;
  args: string[];
  nodeFlags: string[];
}): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...options.nodeFlags,
      options.cli,
      "proxy",
      "--port",
      String(port),
      "--config",
      options.config,
      ...options.args,
    ],
    {
      env: { ...process.env, SWITCHYARD_HOME: options.home, HOME: options.home },
      // The request log (one JSON line per request on stdout) is written, as in real use
      // with stdout redirected.
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${origin}/health`)).ok) return { name: options.name, child, origin };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`${options.name} did not become healthy; its stderr: ${stderr || "(empty)"}`);
}

/**
 * CPU time (µs) a process has used, all threads: the sum of each thread's
 * `/proc/PID/task/TID/schedstat` run time (ns resolution), or `utime + stime` from
 * `/proc/PID/stat` (10 ms ticks) where schedstat is missing.
 */
export function cpuUs(pid: number): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    }
    return ns / 1000;
  } catch {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  }
}

/** Resident memory (MB) from `/proc/PID/status`: now (`VmRSS`) and the peak (`VmHWM`). */
export function memoryMb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
}

/** One measured window: the load generator's view plus the server's CPU over it. */
export interface Sample {
  rps: number;
  p50: number;
  p99: number;
  completed: number;
  /** Server CPU µs per completed request. */
  cpuPerRequest: number;
  /** Body bytes of one answer. */
  responseBytes: number;
}

/** The load generator: a child process that runs closed loops on request over IPC. */
export interface LoadGenerator {
  run(options: {
    server: Server;
    request: BenchRequest;
    concurrency: number;
    warmupMs: number;
    measureMs: number;
    /** Measure on past `measureMs` until this many requests completed (at most 4 windows). */
    minRequests?: number;
    /** Requests a second on a fixed schedule (at most `concurrency` in flight); 0: closed loop. */
    rate?: number;
  }): Promise<Sample>;
  child: ChildProcess;
}

interface Done {
  type: "done";
  failure?: string;
  completed: number;
  rps: number;
  p50: number;
  p99: number;
  responseBytes: number;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  // No tsx loader in the child: it is plain JavaScript.
  const child = fork(join(here, "load-generator.mjs"), [], { execArgv: [], stdio: "inherit" });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`load generator exited early (${code})`)));
  });
  return {
    child,
    run({ server, request, concurrency, warmupMs, measureMs, minRequests = 0, rate = 0 }) {
      const pid = server.child.pid ?? 0;
      let cpuStart = 0;
      return new Promise((resolve, reject) => {
        const onMessage = (m: { type: "start" } | Done) => {
          if (m.type === "start") {
            cpuStart = cpuUs(pid);
            return;
          }
          const cpu = cpuUs(pid) - cpuStart;
          child.off("message", onMessage);
          if (m.failure !== undefined || m.completed === 0) {
            reject(new Error(`${server.name}: ${m.failure ?? "no request completed"}`));
            return;
          }
          resolve({
            rps: m.rps,
            p50: m.p50,
            p99: m.p99,
            completed: m.completed,
            cpuPerRequest: cpu / m.completed,
            responseBytes: m.responseBytes,
          });
        };
        child.on("message", onMessage);
        child.send({
          origin: server.origin,
          path: request.path,
          body: request.body,
          headers: request.headers,
          concurrency,
          warmupMs,
          measureMs,
          minRequests,
          rate,
        });
      });
    },
  };
}

/** SIGTERM (switchyard drains, writes a `--cpu-prof` profile if asked), SIGKILL after 3 s. */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, 3000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
        }),
    ),
  );
}
