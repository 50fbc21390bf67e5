/**
 * Ctrl-C at the hidden key prompt of `backend add --key -` cancels with exit 130 and writes
 * nothing (it exited 13, node's code for an unsettled await). The prompt needs a terminal:
 * util-linux `script` gives the CLI a pseudo-terminal and passes Ctrl-C (0x03) into it.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, cliEnv, ensureBuilt, tempHome } from "./cli-helpers.js";

beforeAll(ensureBuilt, 120_000);

describe("hidden key prompt", () => {
  it("exits 130 on Ctrl-C and leaves no config behind", async () => {
    const { home, cleanup } = await tempHome();
    try {
      const child = spawn(
        "script",
        ["-qec", `${process.execPath} ${CLI} backend add groq --key -`, "/dev/null"],
        { env: cliEnv(home), stdio: ["pipe", "pipe", "pipe"] },
      );
      let out = "";
      let sent = false;
      // The CLI may exit before the pipe drains: an EPIPE here is not the test's failure.
      child.stdin.on("error", () => {});
      child.stdout.on("data", (d) => {
        out += d;
        if (!sent && out.includes("(input hidden)")) {
          sent = true;
          child.stdin.write("\u0003");
        }
      });
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => child.kill(), 20_000);
        child.once("exit", (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(out).toContain("cancelled");
      expect(code).toBe(130);
      expect(existsSync(join(home, "config.json"))).toBe(false);
    } finally {
      await cleanup();
    }
  });
});
