import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliEvent } from "./cli-lines.js";
import { createConcurrencyLimiter, runCli } from "./run-cli.js";

/** Stand-in CLIs (plain node scripts): these tests are about process handling, not Claude. */
const scripts = {
  echo: `let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
    console.log("plain text line");
    console.log(JSON.stringify({type:"system",subtype:"init",session_id:"s1",args:process.argv.slice(2)}));
    console.log(JSON.stringify({type:"result",result:s.trim(),is_error:false}));
  });`,
  forks: `const {spawn}=require("node:child_process");
    const g=spawn(process.execPath,["-e","setInterval(()=>{},1000)"],{stdio:"ignore"});
    console.log(JSON.stringify({type:"system",subtype:"init",grandchild:g.pid}));
    setInterval(()=>{},1000);`,
  stubborn: `process.on("SIGTERM",()=>{});console.log(JSON.stringify({type:"system",subtype:"init"}));setInterval(()=>{},1000);`,
  noisy: `process.stderr.write("x".repeat(100000)+"END");process.exit(3);`,
};

let dir: string;
const script = (name: keyof typeof scripts) => join(dir, `${name}.cjs`);
/** Running (a zombie waiting to be reaped by init counts as gone). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};

async function collect(events: AsyncIterable<CliEvent>): Promise<CliEvent[]> {
  const out: CliEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "switchyard-run-"));
  for (const [name, body] of Object.entries(scripts)) writeFileSync(join(dir, `${name}.cjs`), body);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runCli", () => {
  it("passes arguments as an array (no shell), the prompt on stdin, and yields parsed lines", async () => {
    const run = runCli({
      binary: process.execPath,
      args: [script("echo"), "--tools", "", "$(touch /tmp/pwned)"],
      stdin: "the prompt; rm -rf /",
      env: process.env,
      timeoutMs: 10_000,
    });
    const events = await collect(run.events);
    const exit = await run.exit;
    expect(events.map((e) => e.type)).toEqual(["system", "result"]);
    expect(events[0]?.args).toEqual(["--tools", "", "$(touch /tmp/pwned)"]);
    expect(events[1]?.result).toBe("the prompt; rm -rf /");
    expect(exit).toMatchObject({ code: 0, timedOut: false, aborted: false });
    expect(exit.stdoutText).toBe("plain text line\n");
  });

  it("kills the whole process group on abort, grandchildren included", async () => {
    const controller = new AbortController();
    const run = runCli({
      binary: process.execPath,
      args: [script("forks")],
      stdin: "",
      env: process.env,
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    const iterator = run.events[Symbol.asyncIterator]();
    const first = (await iterator.next()).value as CliEvent;
    const grandchild = first.grandchild as number;
    expect(alive(grandchild)).toBe(true);
    controller.abort();
    const exit = await run.exit;
    expect(exit.aborted).toBe(true);
    expect(exit.signal).toBe("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
    expect(alive(run.pid as number)).toBe(false);
  });

  it("stops a run at its timeout, with SIGKILL when SIGTERM is ignored", async () => {
    const started = Date.now();
    const run = runCli({
      binary: process.execPath,
      args: [script("stubborn")],
      stdin: "",
      env: process.env,
      timeoutMs: 1500,
      killGraceMs: 200,
    });
    await collect(run.events);
    const exit = await run.exit;
    expect(exit).toMatchObject({ timedOut: true, signal: "SIGKILL" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("reports a missing binary as a spawn error", async () => {
    const run = runCli({
      binary: join(dir, "no-such-claude"),
      args: [],
      stdin: "x",
      env: process.env,
      timeoutMs: 1000,
    });
    expect(await collect(run.events)).toEqual([]);
    expect((await run.exit).spawnError?.code).toBe("ENOENT");
  });

  it("keeps only the tail of a large stderr", async () => {
    const run = runCli({
      binary: process.execPath,
      args: [script("noisy")],
      stdin: "",
      env: process.env,
      timeoutMs: 10_000,
      outputLimit: 1000,
    });
    await collect(run.events);
    const exit = await run.exit;
    expect(exit.code).toBe(3);
    expect(exit.stderr).toHaveLength(1000);
    expect(exit.stderr.endsWith("END")).toBe(true);
  });
});

describe("createConcurrencyLimiter", () => {
  it("queues beyond the limit in FIFO order and drops aborted waiters", async () => {
    const limiter = createConcurrencyLimiter(1);
    const order: string[] = [];
    const releaseA = await limiter.acquire();
    const b = limiter.acquire().then((release) => {
      order.push("b");
      return release;
    });
    const controller = new AbortController();
    const c = limiter.acquire(controller.signal).catch(() => order.push("c aborted"));
    const d = limiter.acquire().then((release) => {
      order.push("d");
      return release;
    });
    expect(limiter.waiting).toBe(3);
    controller.abort();
    await c;
    releaseA();
    (await b)();
    (await d)();
    expect(order).toEqual(["c aborted", "b", "d"]);
    expect(limiter.active).toBe(0);
  });
});
