/**
 * Presets bring their routes, and a model no route claims is refused clearly: real CLI
 * processes (`backend add`, `proxy`) and the official SDKs, against local mock upstreams.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  cliEnv,
  ensureBuilt,
  type ProxyProcess,
  runCli,
  startProxy,
  tempHome,
} from "./cli-helpers.js";
import { anthropicMockHandler, openAIMockHandler } from "./helpers/mock-behaviors.js";
import { type MockUpstream, startMockUpstream } from "./helpers/mock-upstream.js";

beforeAll(ensureBuilt, 120_000);

let openaiUp: MockUpstream;
let anthropicUp: MockUpstream;
beforeAll(async () => {
  openaiUp = await startMockUpstream(openAIMockHandler);
  anthropicUp = await startMockUpstream(anthropicMockHandler);
});
afterAll(async () => {
  await Promise.all([openaiUp?.close(), anthropicUp?.close()]);
});

describe("preset routes", () => {
  let home: string;
  let cleanup: () => Promise<void>;
  let proxy: ProxyProcess | undefined;
  beforeEach(async () => {
    ({ home, cleanup } = await tempHome());
  });
  afterEach(async () => {
    proxy?.kill();
    proxy = undefined;
    await cleanup();
  });
  const keys = { SY_OAI_KEY: "sk-oai-test", SY_ANT_KEY: "sk-ant-test" };

  it("`backend add openai` + `backend add anthropic`: claude-* goes to anthropic, gpt-* to openai, the rest is a 404 naming the routes", async () => {
    const env = cliEnv(home, keys);
    const addOpenAI = await runCli(
      ["backend", "add", "openai", "--base-url", `${openaiUp.url}/v1`, "--key-env", "SY_OAI_KEY"],
      { env },
    );
    expect(addOpenAI.code, addOpenAI.stderr).toBe(0);
    expect(addOpenAI.stdout).toContain(
      "added routes: gpt-* → openai, o1* → openai, o3* → openai, o4* → openai, chatgpt-* → openai",
    );
    const addAnthropic = await runCli(
      ["backend", "add", "anthropic", "--base-url", anthropicUp.url, "--key-env", "SY_ANT_KEY"],
      { env },
    );
    expect(addAnthropic.code, addAnthropic.stderr).toBe(0);
    expect(addAnthropic.stdout).toContain("added routes: claude-* → anthropic");
    const config = JSON.parse(await readFile(join(home, "config.json"), "utf8"));
    // Neither is a catch-all: a model outside their families must not go to either.
    expect(config.defaultBackend).toBeUndefined();

    proxy = await startProxy(["--port", "0"], env);
    const anthropic = new Anthropic({ baseURL: proxy.url, apiKey: "x" });
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: "x" });
    const before = { openai: openaiUp.requests.length, anthropic: anthropicUp.requests.length };

    const claude = await anthropic.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(claude.type).toBe("message");
    expect(anthropicUp.requests.at(-1)?.body?.model).toBe("claude-sonnet-4-5");
    const gpt = await openai.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(gpt.object).toBe("chat.completion");
    expect(openaiUp.requests.at(-1)?.body?.model).toBe("gpt-4o");

    // Unclaimed: a 404 in each caller's shape, tried once (the SDKs retry by default).
    const viaOpenAI = await openai.chat.completions
      .create({ model: "llama-3.3-70b", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(viaOpenAI).toBeInstanceOf(OpenAI.NotFoundError);
    expect((viaOpenAI as InstanceType<typeof OpenAI.APIError>).code).toBe("model_not_found");
    expect((viaOpenAI as Error).message).toContain("claude-* -> anthropic");
    expect((viaOpenAI as Error).message).toContain("gpt-* -> openai");
    const viaAnthropic = await anthropic.messages
      .create({
        model: "llama-3.3-70b",
        max_tokens: 5,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((e: unknown) => e);
    expect(viaAnthropic).toBeInstanceOf(Anthropic.NotFoundError);
    expect((viaAnthropic as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: "error",
      error: {
        type: "not_found_error",
        message: expect.stringContaining('no backend serves model "llama-3.3-70b"'),
      },
    });
    expect(openaiUp.requests.length - before.openai).toBe(1);
    expect(anthropicUp.requests.length - before.anthropic).toBe(1);
    // One request log line each (the log is buffered: wait for it, bounded).
    const logged = () =>
      (proxy?.stdout() ?? "").split("\n").filter((l) => l.includes('"model":"llama-3.3-70b"'));
    for (let i = 0; i < 40 && logged().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(logged()).toHaveLength(2);
  });

  it("with no config file serves echo:<anything> with no account, and does not answer other models from echo", async () => {
    proxy = await startProxy(["--port", "0"], cliEnv(home));
    const ask = (model: string) =>
      fetch(`${proxy?.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
      });
    expect((await ask("echo:hello")).status).toBe(200);
    const other = await ask("claude-sonnet-4-5");
    expect(other.status).toBe(404);
    expect(other.headers.get("x-should-retry")).toBe("false");
    expect(await other.json()).toMatchObject({
      error: {
        code: "model_not_found",
        message: expect.stringContaining("switchyard backend add anthropic"),
      },
    });
  });
});
