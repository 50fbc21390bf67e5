/** A mistyped preset, or a backend name one letter off a preset, says which preset was meant. */
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, ensureBuilt, runCli, tempHome } from "./cli-helpers.js";

beforeAll(ensureBuilt, 120_000);

describe("backend add did-you-mean", () => {
  it("suggests the preset for --preset opnai and for a backend named groqq", async () => {
    const { home, cleanup } = await tempHome();
    try {
      const typo = await runCli(["backend", "add", "x", "--preset", "opnai"], {
        env: cliEnv(home),
      });
      expect(typo.code).toBe(1);
      expect(typo.stderr).toContain('unknown preset "opnai" (did you mean "openai"?)');
      const name = await runCli(["backend", "add", "groqq"], { env: cliEnv(home) });
      expect(name.code).toBe(1);
      expect(name.stderr).toContain("(did you mean --preset groq?)");
    } finally {
      await cleanup();
    }
  });
});
