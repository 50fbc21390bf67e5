import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CANARY, cliEnv, ensureBuilt, runCli, tempHome } from "./cli-helpers.js";

beforeAll(ensureBuilt, 120_000);

describe("switchyard config", () => {
  let home: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ home, cleanup } = await tempHome());
  });
  afterEach(() => cleanup());
  const writeConfig = (value: unknown) =>
    writeFile(join(home, "config.json"), JSON.stringify(value, null, 2));

  it("applies flag > env > file > default and says where each value came from", async () => {
    await writeConfig({ port: 4000, host: "localhost", shutdownGraceMs: 500 });
    const env = cliEnv(home, { SWITCHYARD_PORT: "5000", SWITCHYARD_HOST: "127.0.0.9" });
    const run = await runCli(["config", "--json", "--port", "6000"], { env });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.config).toMatchObject({
      port: 6000,
      host: "127.0.0.9",
      shutdownGraceMs: 500,
      maxBodyBytes: 33554432,
    });
    expect(out.sources).toMatchObject({
      port: "flag",
      host: "env",
      shutdownGraceMs: "file",
      maxBodyBytes: "default",
      "timeouts.connectMs": "default",
    });
    const envOnly = JSON.parse((await runCli(["config", "--json"], { env })).stdout);
    expect([envOnly.config.port, envOnly.sources.port]).toEqual([5000, "env"]);
    const fileOnly = JSON.parse((await runCli(["config", "--json"], { env: cliEnv(home) })).stdout);
    expect([fileOnly.config.port, fileOnly.sources.port]).toEqual([4000, "file"]);

    const text = await runCli(["config", "--port", "6000"], { env });
    expect(text.stdout).toMatch(/^port\s+6000\s+flag$/m);
    expect(text.stdout).toMatch(/^host\s+127\.0\.0\.9\s+env$/m);
    expect(text.stdout).toMatch(/^shutdownGraceMs\s+500\s+file$/m);
  });

  it("never prints userinfo or a credential query value from a base URL", async () => {
    await writeConfig({
      backends: {
        proxied: {
          type: "openai",
          baseUrl: `http://user:${CANARY}@127.0.0.1:1/v1?api-version=2024&api_key=${CANARY}-q`,
          targets: [
            { id: "t", baseUrl: `http://u:${CANARY}-t@127.0.0.1:2/v1` },
            // A token as the userinfo name, and an Azure Functions key.
            { id: "n", baseUrl: `http://${CANARY}n@127.0.0.1:3/v1` },
            { id: "c", baseUrl: `http://127.0.0.1:4/api?code=${CANARY}-c&x=1` },
          ],
        },
      },
    });
    for (const args of [["config"], ["config", "--json"], ["backend", "list"], ["doctor"]]) {
      const run = await runCli(args, { env: cliEnv(home) });
      expect(run.stdout + run.stderr, args.join(" ")).not.toContain(CANARY);
    }
    const json = JSON.parse((await runCli(["config", "--json"], { env: cliEnv(home) })).stdout);
    expect(json.config.backends.proxied.baseUrl).toBe(
      "http://[redacted]@127.0.0.1:1/v1?api-version=2024&api_key=[redacted]",
    );
    expect(json.config.backends.proxied.targets.map((t: { baseUrl: string }) => t.baseUrl)).toEqual(
      [
        "http://[redacted]@127.0.0.1:2/v1",
        "http://[redacted]@127.0.0.1:3/v1",
        "http://127.0.0.1:4/api?code=[redacted]&x=1",
      ],
    );
  });

  it("names the bad field, the file and the expected form, and exits 1", async () => {
    await writeConfig({ backends: { groq: { type: "openai", baseUrl: 42 } }, port: "x" });
    const run = await runCli(["config"], { env: cliEnv(home) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "config.json: backends.groq.baseUrl must be an http(s) URL, got 42",
    );
    expect(run.stderr).toContain('config.json: port must be an integer from 0 to 65535, got "x"');
    expect(run.stderr).not.toContain("    at "); // no stack trace
  });

  it("never echoes a key pasted into baseUrl (config, doctor)", async () => {
    await writeConfig({ backends: { ui: { type: "openai", baseUrl: CANARY } } });
    const message = `backends.ui.baseUrl must be an http(s) URL, got a string of ${CANARY.length} characters that is not an http(s) URL`;
    for (const args of [["config"], ["doctor"]]) {
      const run = await runCli(args, { env: cliEnv(home) });
      expect(run.stdout + run.stderr, args.join(" ")).toContain(message);
      expect(run.stdout + run.stderr, args.join(" ")).not.toContain(CANARY);
    }
  });

  it("rejects bad env and flag values by name", async () => {
    const bad = await runCli(["config"], { env: cliEnv(home, { SWITCHYARD_PORT: "http" }) });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('SWITCHYARD_PORT must be an integer from 0 to 65535, got "http"');
    const flag = await runCli(["config", "--port", "70000"], { env: cliEnv(home) });
    expect(flag.stderr).toContain("--port must be an integer from 0 to 65535, got");
    const missing = await runCli(["config", "--config", join(home, "nope.json")], {
      env: cliEnv(home),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.json: config file not found");
  });

  it("warns about unknown keys instead of failing", async () => {
    await writeConfig({ port: 4100, futureThing: { a: 1 } });
    const run = await runCli(["config"], { env: cliEnv(home) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("warning:");
    expect(run.stdout).toContain("unknown key futureThing");
  });

  it("never prints a key: literal, env and client keys are shown by source", async () => {
    await writeConfig({
      apiKey: "env:SY_CLIENT",
      backends: {
        lit: { type: "openai", baseUrl: "http://127.0.0.1:9/v1", apiKey: CANARY },
        viaenv: { type: "anthropic", apiKey: "env:SY_TEST_KEY", headers: { "x-org": CANARY } },
      },
    });
    const env = cliEnv(home, { SY_TEST_KEY: CANARY, SY_CLIENT: CANARY });
    for (const args of [["config"], ["config", "--json"]]) {
      const run = await runCli(args, { env });
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(CANARY);
      expect(run.stdout).toContain("env:SY_TEST_KEY");
      expect(run.stdout).toContain("literal");
    }
  });

  it("reports a missing key variable by backend and variable, and still shows the rest", async () => {
    await writeConfig({
      backends: {
        groq: {
          type: "openai",
          baseUrl: "https://api.groq.com/openai/v1",
          apiKey: "env:GROQ_API_KEY",
        },
      },
    });
    const run = await runCli(["config"], { env: cliEnv(home) });
    expect(run.stdout).toContain(
      "backend groq: apiKey refers to environment variable GROQ_API_KEY, which is not set",
    );
    expect(run.stdout).toMatch(
      /^backends\.groq\.baseUrl\s+https:\/\/api\.groq\.com\/openai\/v1\s+file$/m,
    );
  });

  it("serves echo plus openai/anthropic from env keys when there is no config file", async () => {
    const env = cliEnv(home, { OPENAI_API_KEY: CANARY, ANTHROPIC_API_KEY: `${CANARY}-a` });
    const run = await runCli(["config", "--json"], { env });
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out.config.backends)).toEqual(["echo", "openai", "anthropic"]);
    expect(out.config.backends.openai.apiKey).toBe("env:OPENAI_API_KEY");
    expect(out.config.defaultBackend).toBeUndefined();
    expect(out.config.routes.map((r: { match: string }) => r.match)).toEqual([
      "gpt-*",
      "o1*",
      "o3*",
      "o4*",
      "chatgpt-*",
      "claude-*",
    ]);
    expect(run.stdout).not.toContain(CANARY);
  });
});
