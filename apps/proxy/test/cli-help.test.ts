import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, cliEnv, ensureBuilt, PACKAGE_DIR, runCli, tempHome } from "./cli-helpers.js";

beforeAll(ensureBuilt, 120_000);

describe("switchyard (entry)", () => {
  it("lists every command, and --version prints package.json's version", async () => {
    const { home, cleanup } = await tempHome();
    try {
      const help = await runCli(["--help"], { env: cliEnv(home) });
      expect(help.code).toBe(0);
      for (const command of ["proxy", "backend", "status", "doctor", "config", "usage", "resume"]) {
        expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\s+\\S`, "m"));
      }
      const { version } = JSON.parse(await readFile(join(PACKAGE_DIR, "package.json"), "utf8"));
      const v = await runCli(["--version"], { env: cliEnv(home) });
      expect(v.stdout.trim()).toBe(version);
    } finally {
      await cleanup();
    }
  });

  it("keeps the entry lazy: command modules are separate chunks loaded on demand", async () => {
    const entry = await readFile(CLI, "utf8");
    expect(entry.startsWith("#!/usr/bin/env node")).toBe(true);
    // The entry decides colours, then loads the command table (citty reads NO_COLOR once).
    expect(entry).not.toMatch(/^import /m);
    const mainChunk = /import\("\.\/(main-[\w-]+\.js)"\)/.exec(entry)?.[1];
    expect(mainChunk).toBeDefined();
    const table = await readFile(join(PACKAGE_DIR, "dist", mainChunk as string), "utf8");
    const staticImports = [...table.matchAll(/^import .* from "(.+)";$/gm)].map((m) => m[1]);
    const multiline = [...table.matchAll(/^} from "(.+)";$/gm)].map((m) => m[1]);
    // Only citty and small shared chunks are imported up front; the server never is.
    for (const spec of [...staticImports, ...multiline]) {
      expect(spec === "citty" || /^\.\/chunk-[\w-]+\.js$/.test(spec ?? "")).toBe(true);
    }
    expect(table).toMatch(/import\("\.\/proxy-[\w-]+\.js"\)/);
  });

  it("writes no colour codes into a pipe, and names an unknown option", async () => {
    const { home, cleanup } = await tempHome();
    try {
      const { NO_COLOR: _, ...env } = cliEnv(home);
      const help = await runCli(["--help"], { env });
      expect(help.stdout).toContain("USAGE");
      expect(help.stdout + help.stderr).not.toContain("\u001b[");
      const unknown = await runCli(["frobnicate"], { env });
      expect(unknown.stderr).toContain(`unknown command "frobnicate"`);
      const typo = await runCli(["proxy", "--prot", "4000"], { env });
      expect(typo.code).toBe(1);
      expect(typo.stderr).toContain("unknown option --prot");
    } finally {
      await cleanup();
    }
  });

  it("a command group without a sub-command shows its usage and exits 1", async () => {
    const { home, cleanup } = await tempHome();
    try {
      const run = await runCli(["backend"], { env: cliEnv(home) });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("switchyard backend");
      expect(run.stdout).toMatch(/add\s+Add a backend/);
      const unknown = await runCli(["frobnicate"], { env: cliEnv(home) });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("unknown command");
    } finally {
      await cleanup();
    }
  });
});
