import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The real Claude Code CLI (devDependency `@anthropic-ai/claude-code`). */
export const CLAUDE_BIN = join(import.meta.dirname, "../../node_modules/.bin/claude");

/** What one `claude -p` run printed, and how long it took. */
export interface ClaudeRun {
  code: number | null;
  /** The stream-json lines of stdout, parsed. */
  lines: unknown[];
  stderr: string;
  elapsedMs: number;
}

/**
 * Runs the real Claude Code CLI (`claude -p ARGS --output-format stream-json --verbose`)
 * against `baseUrl`, in a throwaway HOME, killed after `timeoutMs`.
 */
export function runClaude(
  baseUrl: string,
  args: string[],
  options: { timeoutMs?: number } = {},
): Promise<ClaudeRun> {
  const home = mkdtempSync(join(tmpdir(), "switchyard-cc-"));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      CLAUDE_BIN,
      ["-p", ...args, "--output-format", "stream-json", "--verbose"],
      {
        cwd: home,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: home,
          ANTHROPIC_BASE_URL: baseUrl,
          ANTHROPIC_API_KEY: "x",
          DISABLE_TELEMETRY: "1",
          DISABLE_AUTOUPDATER: "1",
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timeoutMs = options.timeoutMs ?? 90_000;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`claude still running after ${timeoutMs} ms; stdout: ${stdout.slice(-800)}`),
      );
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
      const lines = stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as unknown);
      resolve({ code, lines, stderr, elapsedMs: Date.now() - started });
    });
  });
}
