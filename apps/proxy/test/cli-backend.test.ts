import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CANARY, cliEnv, ensureBuilt, runCli, tempHome } from "./cli-helpers.js";

beforeAll(ensureBuilt, 120_000);

describe("switchyard backend", () => {
  let home: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ home, cleanup } = await tempHome());
  });
  afterEach(() => cleanup());
  const readJson = async (name: string) => JSON.parse(await readFile(join(home, name), "utf8"));
  const cli = (args: string[], extra: { env?: Record<string, string>; input?: string } = {}) =>
    runCli(["backend", ...args], { env: cliEnv(home, extra.env), input: extra.input });

  it("infers the preset from the name: `backend add groq` alone works", async () => {
    const run = await cli(["add", "groq"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("added backend groq (openai, https://api.groq.com/openai/v1)");
    expect(await readJson("config.json")).toEqual({
      backends: { groq: { type: "openai", baseUrl: "https://api.groq.com/openai/v1" } },
      defaultBackend: "groq",
    });
  });

  it.each([
    ["openai", "openai", "https://api.openai.com/v1"],
    ["anthropic", "anthropic", "https://api.anthropic.com"],
    ["openrouter", "openai", "https://openrouter.ai/api/v1"],
    ["deepseek", "openai", "https://api.deepseek.com/v1"],
    ["ollama", "openai", "http://127.0.0.1:11434/v1"],
    ["vllm", "openai", "http://127.0.0.1:8000/v1"],
  ])("preset %s fills type %s and %s", async (preset, type, baseUrl) => {
    const run = await cli(["add", `my-${preset}`, "--preset", preset]);
    expect(run.code).toBe(0);
    expect((await readJson("config.json")).backends[`my-${preset}`]).toEqual({ type, baseUrl });
  });

  it("stores a --key - from stdin in a 0600 credential file, never in config.json", async () => {
    const run = await cli(["add", "openrouter", "--key", "-"], { input: `${CANARY}\n` });
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
    expect(await readFile(join(home, "config.json"), "utf8")).not.toContain(CANARY);
    expect(await readJson("credentials.json")).toEqual({
      version: 1,
      backends: { openrouter: { apiKey: CANARY } },
    });
    if (process.platform !== "win32") {
      expect((await stat(join(home, "credentials.json"))).mode & 0o777).toBe(0o600);
      expect((await stat(home)).mode & 0o777).toBe(0o700);
    }
    // Atomic writes leave no temp files behind.
    expect((await readdir(home)).sort()).toEqual(["config.json", "credentials.json"]);

    const list = await cli(["list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /^openrouter\s+openai\s+https:\/\/openrouter\.ai\/api\/v1\s+stored$/m,
    );
    expect(list.stdout).not.toContain(CANARY);
    const json = await cli(["list", "--json"]);
    expect(JSON.parse(json.stdout).backends).toContainEqual({
      name: "openrouter",
      type: "openai",
      where: "https://openrouter.ai/api/v1",
      key: "stored",
    });
    expect(json.stdout).not.toContain(CANARY);
  });

  it("--key-env stores env:VAR in config, and list shows it", async () => {
    const run = await cli(["add", "deepseek", "--key-env", "DS_KEY"], { env: { DS_KEY: CANARY } });
    expect(run.code).toBe(0);
    expect((await readJson("config.json")).backends.deepseek.apiKey).toBe("env:DS_KEY");
    const list = await cli(["list"], { env: { DS_KEY: CANARY } });
    expect(list.stdout).toMatch(/^deepseek\s+openai\s+\S+\s+env:DS_KEY$/m);
    expect(list.stdout).not.toContain(CANARY);
  });

  it("remove drops the backend, its routes, default and stored key, keeping unknown fields", async () => {
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({
        port: 4321,
        futureField: { keep: true },
        backends: { other: { type: "openai", baseUrl: "http://127.0.0.1:9/v1" } },
        routes: [{ match: "x-*", backend: "other" }],
      }),
    );
    await cli(["add", "groq", "--key", "-", "--default"], { input: CANARY });
    const config = await readJson("config.json");
    expect(config).toMatchObject({
      port: 4321,
      futureField: { keep: true },
      defaultBackend: "groq",
    });
    const routes = [
      { ...config.routes[0], fallback: "groq" },
      { match: "llama-*", backend: "groq" },
    ];
    await writeFile(join(home, "config.json"), JSON.stringify({ ...config, routes }));

    const run = await cli(["remove", "groq"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("removed backend groq");
    expect(run.stdout).toContain("removed 1 route to groq");
    expect(run.stdout).toContain("route x-* no longer falls back to groq");
    expect(run.stdout).toContain("removed its stored key");
    expect(await readJson("config.json")).toEqual({
      port: 4321,
      futureField: { keep: true },
      backends: { other: { type: "openai", baseUrl: "http://127.0.0.1:9/v1" } },
      routes: [{ match: "x-*", backend: "other" }],
    });
    expect(await readJson("credentials.json")).toEqual({ version: 1, backends: {} });
    const again = await cli(["remove", "groq"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("no backend named groq");
  });

  it("keeps env-key backends when the first config file is written", async () => {
    const run = await cli(["add", "vllm"], { env: { OPENAI_API_KEY: CANARY } });
    expect(run.code).toBe(0);
    const config = await readJson("config.json");
    expect(config.backends.openai).toEqual({
      type: "openai",
      baseUrl: "https://api.openai.com/v1",
      apiKey: "env:OPENAI_API_KEY",
    });
    expect(config.defaultBackend).toBe("vllm");
    expect(config.routes.map((r: { match: string }) => r.match)).toEqual([
      "gpt-*",
      "o1*",
      "o3*",
      "o4*",
      "chatgpt-*",
    ]);
    // Said, not done silently; and a local model such as `olmo` is not routed to it.
    expect(run.stdout).toContain(
      "kept backend openai from your environment (key: env:OPENAI_API_KEY; routes gpt-*, o1*, o3*, o4*, chatgpt-*)",
    );
    expect(JSON.stringify(config)).not.toContain(CANARY);
  });

  it("--force to another upstream drops the old stored key; to the same one keeps it", async () => {
    expect((await cli(["add", "groq", "--key", "-"], { input: CANARY })).code).toBe(0);
    // Same upstream, nothing else said: the stored key stays and the output says so.
    const same = await cli(["add", "groq", "--force"]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("key: stored (kept)");
    expect((await readJson("credentials.json")).backends.groq).toEqual({ apiKey: CANARY });
    // Another URL: the key must not follow the name to it.
    const moved = await cli(["add", "groq", "--force", "--base-url", "http://127.0.0.1:9/v1"]);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain("key: none");
    expect(moved.stdout).toContain("removed the key stored for the previous groq");
    expect((await readJson("credentials.json")).backends).toEqual({});
    expect((await cli(["list"])).stdout).toMatch(/^groq\s+openai\s+http:\S+\s+none$/m);

    // Another type keeps nothing either, and an env reference is kept only on the same upstream.
    await cli(["add", "groq", "--force", "--key", "-"], { input: CANARY });
    const retyped = await cli(["add", "groq", "--force", "--type", "anthropic"]);
    expect(retyped.stdout).toContain("removed the key stored for the previous groq");
    await cli(["add", "ds", "--preset", "deepseek", "--key-env", "DS_KEY"]);
    const kept = await cli(["add", "ds", "--force"]);
    expect(kept.stdout).toContain("key: env:DS_KEY (kept)");
    expect((await readJson("config.json")).backends.ds.apiKey).toBe("env:DS_KEY");
  });

  it("--force --key - rotates a key and keeps the rest of the entry", async () => {
    const entry = {
      type: "openai",
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: "env:OLD_KEY",
      models: ["m1"],
    };
    await writeFile(join(home, "config.json"), JSON.stringify({ backends: { mine: entry } }));
    const run = await cli(["add", "mine", "--force", "--key", "-"], { input: CANARY });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "replaced backend mine (openai, http://127.0.0.1:9/v1); key: stored",
    );
    const { apiKey: _drop, ...rest } = entry;
    expect((await readJson("config.json")).backends.mine).toEqual(rest);
    expect((await readJson("credentials.json")).backends.mine).toEqual({ apiKey: CANARY });
  });

  it("adds a claude-code backend by name and refuses a key for it", async () => {
    // A PATH without `claude`: the command still adds it and says the CLI is missing.
    const noClaude = { PATH: join(home, "empty-bin") };
    const added = await cli(["add", "claude"], { env: noClaude });
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("note: claude CLI not found");
    expect((await readJson("config.json")).backends.claude).toEqual({ type: "claude-code" });
    const withKey = await cli(["add", "cc", "--type", "claude-code", "--key", "-"], { input: "x" });
    expect(withKey.code).toBe(1);
    expect(withKey.stderr).toContain("takes no key");
  });

  it("explains bad input and changes nothing", async () => {
    const cases: [string[], string][] = [
      [["add", "mything"], "--type openai|anthropic|claude-code"],
      [["add", "x", "--preset", "nope"], 'unknown preset "nope"'],
      [["add", "x", "--type", "openai"], "--base-url is required"],
      [
        ["add", "x", "--type", "openai", "--base-url", "ftp://a"],
        "--base-url must be an http(s) URL",
      ],
      [["add", "a:b", "--preset", "vllm"], "no ':'"],
      [["add", "groq", "--key", "k", "--key-env", "V"], "either --key or --key-env"],
      [["add", "groq", "--key-env", "1BAD"], "--key-env must be a variable name"],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr).toContain(message);
    }
    expect(await readdir(home)).toEqual([]);
    await cli(["add", "groq"]);
    const dup = await cli(["add", "groq"]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("already exists");
    expect(
      (await cli(["add", "groq", "--force", "--base-url", "http://127.0.0.1:1/v1"])).code,
    ).toBe(0);
  });
});
