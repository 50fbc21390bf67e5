import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readUsageRecords } from "../src/usage/read-usage.js";
import { createUsageLog } from "../src/usage/usage-log.js";

// The child runs the real usage-log source, transpiled to plain JS (no loader needed).
const SOURCES = ["usage-log", "usage-segments", "record", "json-text", "usage-fs", "iso-time"];

const CHILD = `
import { createUsageLog } from "./usage-log.js";
const dir = process.argv[2];
const log = createUsageLog({ dir, maxBytes: 16 * 1024, writeDelayMs: 5, syncDelayMs: 5 });
let id = 0;
for (;;) {
  const batch = [];
  for (let k = 0; k < 25; k++) {
    const n = id++;
    batch.push(
      log.append({
        backend: "openai",
        model: "gpt-4o",
        session: "s" + (n % 7),
        inputTokens: n,
        outputTokens: 1,
        costUsd: 0.000001 * n,
        status: 200,
        latencyMs: 1,
      }).then(() => n),
    );
  }
  const done = await Promise.all(batch);
  process.stdout.write(done.join("\\n") + "\\n");
}
`;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "switchyard-crash-"));
  const srcDir = new URL("../src/usage/", import.meta.url);
  for (const name of SOURCES) {
    const source = await readFile(new URL(`${name}.ts`, srcDir), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    await writeFile(join(work, `${name}.js`), outputText);
  }
  await writeFile(join(work, "package.json"), '{"type":"module"}');
  await writeFile(join(work, "child.js"), CHILD);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("usage log crash safety", () => {
  it("keeps every acknowledged record readable after SIGKILL mid-burst", async () => {
    const dir = join(work, "usage");
    await mkdir(dir);
    const child = spawn(process.execPath, [join(work, "child.js"), dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const acked = new Set<number>();
    let buffered = "";
    // Kill while writes are still in flight, well past the first rotations: after 1500
    // acknowledged records, or, on a machine too loaded for that, after 40 s with at least
    // 400 (already several 16 KiB files). Bounded by count and by time.
    const TARGET = 1500;
    const ENOUGH = 400;
    await new Promise<void>((resolve, reject) => {
      const kill = () => {
        clearTimeout(timer);
        child.kill("SIGKILL");
        resolve();
      };
      const timer = setTimeout(() => {
        if (acked.size >= ENOUGH) kill();
        else {
          child.kill("SIGKILL");
          reject(new Error(`child too slow: ${acked.size} records in 40 s; stderr: ${stderr}`));
        }
      }, 40_000);
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const l of lines) acked.add(Number(l));
        if (acked.size >= TARGET && !child.killed) kill();
      });
      child.on("exit", () => {
        clearTimeout(timer);
        if (acked.size < ENOUGH) reject(new Error(`child exited early: ${stderr}`));
      });
    });
    if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
    expect(child.signalCode).toBe("SIGKILL");

    const { records, skippedLines, files } = await readUsageRecords({ dir });
    expect(files.length).toBeGreaterThan(2); // rotated during the burst
    expect(skippedLines).toBeLessThanOrEqual(1); // at most a torn tail
    const ids = records.map((r) => r.inputTokens);
    const present = new Set(ids);
    expect(present.size).toBe(ids.length); // no duplicates
    for (const id of acked) expect(present.has(id)).toBe(true);
    // Written in order: the log is a contiguous prefix 0..n-1.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i));

    // A new proxy process appends after the crash without gluing onto a torn line.
    const log = createUsageLog({ dir, maxBytes: 16 * 1024 });
    await log.append({
      backend: "openai",
      model: "gpt-4o",
      inputTokens: -1,
      status: 200,
      latencyMs: 1,
    });
    await log.append({ backend: "openai", model: "after-crash", status: 200, latencyMs: 1 });
    await log.close();
    const after = await readUsageRecords({ dir });
    expect(after.records.at(-1)?.model).toBe("after-crash");
    expect(after.records).toHaveLength(records.length + 2);
  }, 60_000);
});
