import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliEnv, ensureBuilt, runCli, startProxy, tempHome } from "./cli-helpers.js";

beforeAll(ensureBuilt, 120_000);

describe("switchyard proxy on a non-loopback host refuses a weak client key", () => {
  let home: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ home, cleanup } = await tempHome());
  });
  afterEach(async () => {
    await cleanup();
  });

  it.each(["x", "changeme", "sk-1234", "   ", "changeme-changeme-changeme"])(
    "SWITCHYARD_API_KEY=%j: exits 1, says why and how to make a good key",
    async (key) => {
      const run = await runCli(["proxy", "--host", "0.0.0.0", "--port", "0"], {
        env: cliEnv(home, { SWITCHYARD_API_KEY: key }),
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("refusing to listen on 0.0.0.0 with a weak client key");
      expect(run.stderr).toContain("openssl rand -hex 32");
      if (key.trim().length > 1) expect(run.stderr + run.stdout).not.toContain(key);
    },
  );

  it("refuses a weak apiKey from config.json too", async () => {
    await writeFile(join(home, "config.json"), JSON.stringify({ apiKey: "password123" }));
    const run = await runCli(["proxy", "--host", "0.0.0.0", "--port", "0"], { env: cliEnv(home) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("weak client key (it is 11 characters long; use at least 24)");
  });

  it("starts with a key made as the message says", async () => {
    const key = "9b1e4c7a2f8d3e6b0a5c9d2e7f1a4b8c3d6e9f0a2b5c8d1e4f7a0b3c6d9e2f5a";
    const proxy = await startProxy(
      ["--host", "0.0.0.0", "--port", "0"],
      cliEnv(home, { SWITCHYARD_API_KEY: key }),
    );
    try {
      const health = await fetch(`http://127.0.0.1:${proxy.port}/health`);
      expect(health.status).toBe(200);
    } finally {
      proxy.child.kill("SIGINT");
      await proxy.exited;
    }
  });
});
