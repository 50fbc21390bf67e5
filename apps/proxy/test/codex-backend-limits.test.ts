/**
 * Plan limits of the `codex` backend reach the rest of the proxy, and `doctor` and
 * `backend add` report the CLI. The REAL Codex CLI against a local mock Responses API that
 * answers 429 `usage_limit_reached` (as ChatGPT's backend does when a plan is used up): the
 * CLI's own text ("You've hit your usage limit …") halts that backend in the overage guard
 * only, and a route with a `fallback` goes around it.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODEX_QUOTA_FILE } from "../src/backends/codex/codex-backend.js";
import { addBackend } from "../src/cli/backend-add.js";
import { runDoctor } from "../src/doctor/report.js";
import { codexBin } from "./helpers/codex.js";
import {
  type CodexBackendHarness,
  startCodexBackendHarness,
} from "./helpers/codex-backend-harness.js";
import { testConfig } from "./helpers/config.js";

describe("codex plan exhaustion and the rest of the proxy", () => {
  let h: CodexBackendHarness;
  let openai: OpenAI;

  beforeAll(async () => {
    h = await startCodexBackendHarness({
      extraBackends: { echo: { type: "echo" } },
      server: {
        routes: [{ match: "gpt-*", backend: "codex", fallback: "echo" }],
        overageGuard: { enabled: true, behavior: "halt", cooldownMs: 60_000, notifyOs: false },
      },
    });
    openai = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  });

  afterAll(async () => {
    await h?.close();
  });

  const ask = (model: string, content: string) =>
    openai.chat.completions
      .create({ model, messages: [{ role: "user", content }] })
      .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
  const lastRequest = async () =>
    (
      (await (await fetch(`${h.server.url}/requests?limit=1`)).json()) as {
        requests: Array<{ backend: string; route: string; status: number }>;
      }
    ).requests[0];

  it("sends automatic traffic to the fallback while there is no quota snapshot", async () => {
    const answer = (await ask("gpt-5", "ping")) as OpenAI.ChatCompletion;
    expect(answer.choices[0]?.message.content).toBe("ping");
    expect((await lastRequest())?.route).toContain("fallback (codex: no quota snapshot");
  });

  it("halts only the codex backend once the CLI says the plan is used up; the route goes around it", async () => {
    // An explicit prefix always runs: a successful run first, so automatic routing uses codex.
    const ok = (await ask("codex:gpt-mock", "hello")) as OpenAI.ChatCompletion;
    expect(ok.choices[0]?.message.content).toBe("mock-responses says: hello");
    expect((await lastRequest())?.backend).toBe("codex");
    const auto = (await ask("gpt-5", "via the route")) as OpenAI.ChatCompletion;
    expect(auto.choices[0]?.message.content).toBe("mock-responses says: via the route");

    const limited = await ask("codex:gpt-mock", "EXHAUSTED now");
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as Error).message).toContain("usage limit");
    // The CLI's "try again at 1:23 PM" became a retry-after in seconds.
    const retryAfter = Number(
      (limited as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after"),
    );
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600 + 60);

    const guard = (await (await fetch(`${h.server.url}/guard`)).json()) as { state: string };
    expect(guard.state).toBe("halted");
    expect(JSON.stringify(guard)).toContain("codex");
    const halted = await ask("codex:gpt-mock", "again");
    expect((halted as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    // Automatic traffic goes around it, and other backends keep serving.
    const around = (await ask("gpt-5", "still there?")) as OpenAI.ChatCompletion;
    expect(around.choices[0]?.message.content).toBe("still there?");
    expect((await lastRequest())?.backend).toBe("echo");
    const status = (await (await fetch(`${h.server.url}/status`)).json()) as {
      availability: Record<string, { prefer: boolean; reason: string }>;
    };
    expect(status.availability.codex).toMatchObject({ prefer: false });
    expect(status.availability.codex?.reason).toContain("codex: usage limit reached");
    const file = join(h.home, CODEX_QUOTA_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ status: "exhausted" });
  }, 120_000);

  it("doctor and backend add report the CLI's version, path and login, asking the CLI only", async () => {
    const env = { PATH: process.env.PATH ?? "", HOME: h.codexHome, CODEX_HOME: h.codexHome };
    const report = await runDoctor({
      version: "test",
      config: testConfig({
        home: h.home,
        backends: { codex: { type: "codex", binary: codexBin } },
      }),
      env,
      checkPort: false,
    });
    const check = report.checks.find((c) => c.id === "backend:codex");
    expect(check?.summary).toMatch(/^\S+codex \d+\.\d+\.\d+ at \S+codex$/);
    // The temp CODEX_HOME has a provider of its own and no ChatGPT login.
    expect(check?.details?.[0]).toContain("not logged in");
    expect(check?.details?.[1]).toContain("codex: usage limit reached");
    expect(check?.status).toBe("warn");

    const lines = await addBackend({
      home: h.home,
      configPath: join(h.home, "config.json"),
      env,
      name: "cx",
      type: "codex",
    });
    expect(lines.join("\n")).toMatch(
      /codex CLI \d+\.\d+\.\d+ at \S+; not logged in: run `codex login`/,
    );
    const written = JSON.parse(readFileSync(join(h.home, "config.json"), "utf8"));
    expect(written.backends.cx).toEqual({ type: "codex" });
    await expect(
      addBackend({
        home: h.home,
        configPath: join(h.home, "config.json"),
        env,
        name: "cy",
        type: "codex",
        key: "k",
      }),
    ).rejects.toThrow("takes no key");
  }, 60_000);
});
