/** `switchyard-mcp --help` and `--version` answer on stdout (they start no MCP session). */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CLI_PATH } from "./helpers/spawn-server.js";

describe("switchyard-mcp --help / --version", () => {
  it("prints usage and version on stdout, nothing on stderr", () => {
    const help = execFileSync(process.execPath, [CLI_PATH, "--help"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(help).toContain("switchyard-mcp");
    expect(help).toContain("--enable-actions");
    const version = execFileSync(process.execPath, [CLI_PATH, "--version"], { encoding: "utf8" });
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
