import { execFile } from "node:child_process";
import type { CommandResult } from "./types.js";

/** Run `file args` with a timeout, never throwing; for short version probes only. */
export function runCommand(
  file: string,
  args: string[],
  options: { timeoutMs: number },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: options.timeoutMs, windowsHide: true, maxBuffer: 64 * 1024 },
      (error, stdout) => {
        if (!error) return resolve({ code: 0, stdout: String(stdout) });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        if (e.killed) return resolve({ code: null, stdout: String(stdout), error: "ETIMEDOUT" });
        if (typeof e.code === "string") return resolve({ code: null, stdout: "", error: e.code });
        resolve({ code: typeof e.code === "number" ? e.code : 1, stdout: String(stdout) });
      },
    );
  });
}
