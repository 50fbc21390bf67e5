/** `switchyard help` is help, and a mistyped command says which one was meant. */
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, ensureBuilt, runCli, tempHome } from "./cli-helpers.js";

beforeAll(ensureBuilt, 120_000);

describe("switchyard help and unknown commands", () => {
  it("`help` lists the commands, `help backend` shows backend's help", async () => {
    const { home, cleanup } = await tempHome();
    try {
      const help = await runCli(["help"], { env: cliEnv(home) });
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^\s+proxy\s+Start the proxy server/m);
      const sub = await runCli(["help", "backend"], { env: cliEnv(home) });
      expect(sub.code).toBe(0);
      expect(sub.stdout).toContain("switchyard backend");
      expect(sub.stdout + sub.stderr).not.toContain("Unknown command");
    } finally {
      await cleanup();
    }
  });

  it("a mistyped command exits 1 with a did-you-mean", async () => {
    const { home, cleanup } = await tempHome();
    try {
      const run = await runCli(["statsu"], { env: cliEnv(home) });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('unknown command "statsu" (did you mean "status"?)');
      const far = await runCli(["banana"], { env: cliEnv(home) });
      expect(far.code).toBe(1);
      expect(far.stderr).toContain('unknown command "banana"; run `switchyard --help`');
    } finally {
      await cleanup();
    }
  });
});
