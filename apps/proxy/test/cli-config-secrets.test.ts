/**
 * `switchyard config` (text and --json) never prints a credential, whatever field holds it:
 * typo'd or unknown keys are redacted by name and by shape, and a near-miss key is answered
 * with the key that was meant.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, ensureBuilt, runCli, tempHome } from "./cli-helpers.js";

const SECRETS = {
  apikey: "gsk_typo7f3a9c1e5b2d4f6a8c0e1234",
  token: "tok-plain-9c1e5b2d4f6a8c0e", // caught by its field name only
  secret: "hunter2hunter2",
  unnamed: "sk-ant-api03-Zq9c1e5b2d4f6a8c0e7f3a", // caught by its shape only
  password: "correct horse battery staple",
};

describe("switchyard config redaction of unknown fields", () => {
  let home: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    await ensureBuilt();
    ({ home, cleanup } = await tempHome());
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({
        backends: {
          groq: {
            type: "openai",
            baseUrl: "https://api.groq.com/openai/v1",
            apikey: SECRETS.apikey,
            token: SECRETS.token,
          },
          cc: { type: "claude-code", secret: SECRETS.secret, notes: SECRETS.unnamed },
          e: { type: "echo", password: SECRETS.password },
        },
        overageGuard: { enabled: true, behaviour: "warn" },
      }),
    );
  }, 120_000);
  afterAll(() => cleanup());

  it("redacts them in the table and in --json, and keeps the rest", async () => {
    for (const args of [["config"], ["config", "--json"]]) {
      const run = await runCli(args, { env: cliEnv(home) });
      expect(run.code).toBe(0);
      for (const value of Object.values(SECRETS)) {
        expect(run.stdout).not.toContain(value);
        expect(run.stderr).not.toContain(value);
      }
      expect(run.stdout).toContain("https://api.groq.com/openai/v1");
    }
    const json = JSON.parse((await runCli(["config", "--json"], { env: cliEnv(home) })).stdout);
    expect(json.config.backends.groq).toMatchObject({
      apikey: "[redacted]",
      token: "[redacted]",
      apiKey: "none",
    });
    expect(json.config.backends.cc).toMatchObject({ secret: "[redacted]", notes: "[redacted]" });
  });

  it("suggests the key that was meant, in config output and as a proxy warning", async () => {
    const run = await runCli(["config"], { env: cliEnv(home) });
    expect(run.stdout).toContain(
      'unknown key backends.groq.apikey (ignored; did you mean "apiKey"?)',
    );
    expect(run.stdout).toContain(
      'unknown key overageGuard.behaviour (ignored; did you mean "behavior"?)',
    );
    const json = JSON.parse((await runCli(["config", "--json"], { env: cliEnv(home) })).stdout);
    expect(json.warnings.join("\n")).toContain('did you mean "apiKey"?');
  });
});
