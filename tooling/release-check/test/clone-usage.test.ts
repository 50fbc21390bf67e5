/**
 * From a clone there is no global `switchyard`: the README's one way is `pnpm -s switchyard …`
 * (root script running the built CLI), and `switchyard mcp` runs the workspace's apps/mcp.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { ROOT } from "./workspace.js";

describe("switchyard from a clone", () => {
  it("the root has a `switchyard` script and the README documents it", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts.switchyard).toBe("node apps/proxy/dist/cli.js");
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("pnpm -s switchyard");
  });

  it("`switchyard mcp` runs the workspace's MCP server instead of asking for an install", async () => {
    const child = spawn(process.execPath, ["apps/proxy/dist/cli.js", "mcp", "--port", "9"], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const line = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer: ${stderr}`)), 20_000);
      createInterface({ input: child.stdout }).on("line", (l) => {
        clearTimeout(timer);
        resolve(l);
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    child.stdin.write(
      `${JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "t", version: "1" },
        },
      })}\n`,
    );
    try {
      const reply = JSON.parse(await line);
      expect(reply.result.serverInfo.name).toBe("switchyard");
      expect(stderr).not.toContain("install it with");
    } finally {
      child.kill();
    }
  });
});
