import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliEnv, ensureBuilt, runCli, tempHome } from "./cli-helpers.js";

beforeAll(ensureBuilt, 120_000);

describe("concurrent `switchyard backend add`", () => {
  let home: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ home, cleanup } = await tempHome());
  });
  afterEach(() => cleanup());

  it("16 processes at once lose no backend and no key", async () => {
    const names = Array.from({ length: 16 }, (_, i) => `up${i}`);
    const runs = await Promise.all(
      names.map((name, i) =>
        runCli(
          [
            "backend",
            "add",
            name,
            "--type",
            "openai",
            "--base-url",
            `http://127.0.0.1:${9000 + i}/v1`,
            "--key",
            "-",
          ],
          { env: cliEnv(home), input: `sk-test-key-${name}-0123456789abcdef\n`, timeoutMs: 60_000 },
        ),
      ),
    );
    for (const run of runs) expect(run.stderr).toBe("");
    expect(runs.map((r) => r.code)).toEqual(names.map(() => 0));
    const config = JSON.parse(await readFile(join(home, "config.json"), "utf8"));
    expect(Object.keys(config.backends).sort()).toEqual([...names].sort());
    const stored = JSON.parse(await readFile(join(home, "credentials.json"), "utf8"));
    expect(Object.keys(stored.backends).sort()).toEqual([...names].sort());
    for (const name of names) {
      expect(stored.backends[name].apiKey).toBe(`sk-test-key-${name}-0123456789abcdef`);
    }
    // No lock directory and no temp file is left behind.
    expect((await readdir(home)).sort()).toEqual(["config.json", "credentials.json"]);
  }, 90_000);
});
