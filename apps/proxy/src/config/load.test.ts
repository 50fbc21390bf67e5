import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCredentialStore } from "./credentials.js";
import { loadConfig } from "./load.js";
import { collectSecrets, redactConfig } from "./redact.js";

describe("loadConfig", () => {
  let home: string;
  const writeConfig = (value: unknown) =>
    writeFile(join(home, "config.json"), JSON.stringify(value));
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "sy-load-"));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("uses defaults and serves echo (by prefix, no default backend) with no file and no keys", async () => {
    const config = await loadConfig({ env: { SWITCHYARD_HOME: home } });
    expect(config).toMatchObject({
      home,
      configFileExists: false,
      port: 3456,
      host: "127.0.0.1",
      maxBodyBytes: 32 * 1024 * 1024,
      shutdownGraceMs: 10_000,
      timeouts: { connectMs: 10_000, firstByteMs: 120_000, idleMs: 120_000, totalMs: 600_000 },
      overageGuard: { enabled: true, behavior: "halt", cooldownMs: 1_800_000, notifyOs: true },
      backends: { echo: { type: "echo" } },
      routes: [],
    });
    // A model nothing claims is answered 404, not silently by echo.
    expect(config.defaultBackend).toBeUndefined();
    expect(config.sources.port).toBe("default");
    expect(config.apiKey).toBeUndefined();
  });

  it("adds openai and anthropic from env keys when there is no file", async () => {
    const config = await loadConfig({
      env: {
        SWITCHYARD_HOME: home,
        OPENAI_API_KEY: "sk-open-1234",
        ANTHROPIC_API_KEY: "sk-ant-5678",
      },
    });
    expect(config.backends.openai).toEqual({
      type: "openai",
      baseUrl: "https://api.openai.com/v1",
      apiKey: "sk-open-1234",
    });
    expect(config.backends.anthropic).toMatchObject({ apiKey: "sk-ant-5678" });
    expect(config.routes).toEqual([
      { match: "gpt-*", backend: "openai" },
      { match: "o1*", backend: "openai" },
      { match: "o3*", backend: "openai" },
      { match: "o4*", backend: "openai" },
      { match: "chatgpt-*", backend: "openai" },
      { match: "claude-*", backend: "anthropic" },
    ]);
    expect(config.defaultBackend).toBeUndefined();
    expect(config.keySources?.["backends.openai.apiKey"]).toBe("env:OPENAI_API_KEY");
  });

  it("applies flag > env > file > default and records sources", async () => {
    await writeConfig({ port: 4000, host: "localhost", shutdownGraceMs: 50 });
    const env = { SWITCHYARD_HOME: home, SWITCHYARD_HOST: "127.0.0.2" };
    const config = await loadConfig({ env, flags: { port: "5000" } });
    expect([config.port, config.host, config.shutdownGraceMs, config.maxBodyBytes]).toEqual([
      5000,
      "127.0.0.2",
      50,
      32 * 1024 * 1024,
    ]);
    expect(config.sources).toMatchObject({
      port: "flag",
      host: "env",
      shutdownGraceMs: "file",
      maxBodyBytes: "default",
    });
  });

  it("names the bad field, the file and the expected form", async () => {
    await writeConfig({ backends: { groq: { type: "openai", baseUrl: 42 } } });
    await expect(loadConfig({ env: { SWITCHYARD_HOME: home } })).rejects.toThrow(
      `${join(home, "config.json")}: backends.groq.baseUrl must be an http(s) URL, got 42`,
    );
    await writeConfig({ routes: [{ match: "x-*", backend: "nope" }] });
    await expect(loadConfig({ env: { SWITCHYARD_HOME: home } })).rejects.toMatchObject({
      code: "invalid_config",
      issues: [{ path: "routes[0].backend" }],
    });
  });

  it("warns about unknown top-level keys instead of failing", async () => {
    await writeConfig({ port: 4001, colour: "blue" });
    const config = await loadConfig({ env: { SWITCHYARD_HOME: home } });
    expect(config.port).toBe(4001);
    expect(config.warnings?.[0]).toContain("unknown key colour");
  });

  it("resolves env refs and stored keys, and says which variable is missing", async () => {
    await writeConfig({
      backends: {
        groq: { type: "openai", baseUrl: "https://api.groq.com/openai/v1", apiKey: "env:GROQ_KEY" },
        local: { type: "openai", baseUrl: "http://127.0.0.1:9/v1" },
      },
    });
    await createCredentialStore({ home }).set("local", "stored-secret-1");
    // A missing variable makes that backend unavailable (said in a warning), not the config.
    const without = await loadConfig({ env: { SWITCHYARD_HOME: home } });
    expect(without.unavailableBackends?.groq).toMatch(
      /^backend groq: apiKey refers to environment variable GROQ_KEY, which is not set/,
    );
    expect(without.unavailableBackends).not.toHaveProperty("local");
    expect(without.warnings).toContainEqual(expect.stringContaining("GROQ_KEY, which is not set"));
    expect(without.backends.groq).not.toHaveProperty("apiKey");
    // The proxy's own client key is different: without it the proxy must not start.
    await writeConfig({ apiKey: "env:SY_CLIENT_KEY" });
    await expect(loadConfig({ env: { SWITCHYARD_HOME: home } })).rejects.toThrow(
      /SY_CLIENT_KEY, which is not set/,
    );
    await writeConfig({
      backends: {
        groq: { type: "openai", baseUrl: "https://api.groq.com/openai/v1", apiKey: "env:GROQ_KEY" },
        local: { type: "openai", baseUrl: "http://127.0.0.1:9/v1" },
      },
    });
    const config = await loadConfig({ env: { SWITCHYARD_HOME: home, GROQ_KEY: "gsk-secret-2" } });
    expect(config.backends.groq).toMatchObject({ apiKey: "gsk-secret-2" });
    expect(config.backends.local).toMatchObject({ apiKey: "stored-secret-1" });
    expect(collectSecrets(config).sort()).toEqual(["gsk-secret-2", "stored-secret-1"]);
    const printed = JSON.stringify(redactConfig(config));
    expect(printed).not.toContain("secret");
    expect(redactConfig(config).backends.local?.apiKey).toBe("stored");
    expect(redactConfig(config).backends.groq?.apiKey).toBe("env:GROQ_KEY");

    const display = await loadConfig({ env: { SWITCHYARD_HOME: home }, resolveSecrets: false });
    expect(display.backends.groq).not.toHaveProperty("apiKey");
    expect(display.keySources?.["backends.groq.apiKey"]).toBe("env:GROQ_KEY");
  });
});

describe("loadConfig with a broken file", () => {
  it("reads a config file that starts with a UTF-8 byte order mark", async () => {
    const home = await mkdtemp(join(tmpdir(), "sy-bom-"));
    try {
      await writeFile(join(home, "config.json"), `\uFEFF${JSON.stringify({ port: 4001 })}`);
      expect((await loadConfig({ env: { SWITCHYARD_HOME: home } })).port).toBe(4001);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("says where the JSON breaks without quoting the file", async () => {
    const home = await mkdtemp(join(tmpdir(), "sy-json-"));
    try {
      const cases = [
        '{\n  "apiKey": "sk-leak-111111" x\n}',
        '{\n  "apiKey": sk-leak-222222\n}',
        '{"apiKey": "sk-leak-333333"',
      ];
      for (const text of cases) {
        await writeFile(join(home, "config.json"), text);
        const error = await loadConfig({ env: { SWITCHYARD_HOME: home } }).catch((e: Error) => e);
        expect(error).toMatchObject({ code: "invalid_json" });
        expect((error as Error).message).toMatch(/config\.json: not valid JSON/);
        expect((error as Error).message).not.toContain("sk-leak");
      }
      await writeFile(join(home, "config.json"), cases[0] as string);
      await expect(loadConfig({ env: { SWITCHYARD_HOME: home } })).rejects.toThrow(
        "not valid JSON (line 2, column 30)",
      );
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
