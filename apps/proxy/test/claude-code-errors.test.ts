/**
 * Failure paths of the claude-code backend, through the real server and the official SDKs.
 * The CLI here is a stand-in script that REPLAYS recorded `claude` output (from
 * `src/backends/claude-code/__fixtures__`), so each failure is deterministic and fast; the
 * real CLI is exercised in claude-code-backend.test.ts.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ClaudeQuotaEvent,
  createClaudeCodeBackend,
} from "../src/backends/claude-code/claude-code-backend.js";
import { probeClaudeCli } from "../src/backends/claude-code/probe.js";
import type { ClaudeCodeBackendConfig } from "../src/config/types.js";
import { type RunningServer, startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";

const fixtures = join(import.meta.dirname, "../src/backends/claude-code/__fixtures__");
const realClaude = join(import.meta.dirname, "../node_modules/.bin/claude");

/** Prints a fixture's lines (optionally cut, with a text swapped), some stderr, then exits. */
const replayScript = `#!/usr/bin/env node
const fs = require("node:fs");
process.stdin.resume();
process.stdin.on("end", () => setTimeout(replay, Number(process.env.FAKE_DELAY_MS || 0)));
function replay() {
  const e = process.env;
  let lines = e.FAKE_FIXTURE ? fs.readFileSync(e.FAKE_FIXTURE, "utf8").split("\\n").filter(Boolean) : [];
  if (e.FAKE_CUT) lines = lines.slice(0, Number(e.FAKE_CUT));
  for (let line of lines) {
    if (e.FAKE_TEXT) line = line.split("Not logged in \u00b7 Please run /login").join(e.FAKE_TEXT);
    process.stdout.write(line + "\\n");
  }
  if (e.FAKE_RESULT) process.stdout.write(e.FAKE_RESULT + "\\n");
  if (e.FAKE_STDERR) process.stderr.write(e.FAKE_STDERR);
  process.exitCode = Number(e.FAKE_EXIT || 0);
}
`;

const modes: Record<string, Record<string, string>> = {
  exhausted: {
    FAKE_FIXTURE: join(fixtures, "not-logged-in.jsonl"),
    FAKE_TEXT: "You're out of extra usage \u00b7 resets 4am (UTC)",
    FAKE_EXIT: "1",
  },
  nologin: { FAKE_FIXTURE: join(fixtures, "not-logged-in.jsonl"), FAKE_EXIT: "1" },
  ratelimit: { FAKE_FIXTURE: join(fixtures, "rate-limited-429.jsonl"), FAKE_EXIT: "1" },
  old: { FAKE_STDERR: "error: unknown option '--output-format'\n", FAKE_EXIT: "1" },
  badarg: { FAKE_STDERR: "error: unknown option '--frobnicate'\n", FAKE_EXIT: "1" },
  slow: { FAKE_FIXTURE: join(fixtures, "stream-text.jsonl"), FAKE_DELAY_MS: "400" },
  hang: { FAKE_DELAY_MS: "20000" },
  midstream: {
    FAKE_FIXTURE: join(fixtures, "stream-text.jsonl"),
    FAKE_CUT: "6",
    FAKE_RESULT: JSON.stringify({
      type: "result",
      subtype: "error_during_execution",
      is_error: true,
      result: "API Error: Connection error.",
    }),
    FAKE_EXIT: "1",
  },
};

describe("claude-code backend failures", () => {
  let server: RunningServer;
  let home: string;
  let dir: string;
  const signals: ClaudeQuotaEvent[] = [];
  let anthropic: Anthropic;
  let openai: OpenAI;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "switchyard-cce-home-"));
    dir = mkdtempSync(join(tmpdir(), "switchyard-cce-bin-"));
    const fake = join(dir, "claude");
    writeFileSync(fake, replayScript);
    chmodSync(fake, 0o755);
    const backends: Record<string, ClaudeCodeBackendConfig> = {
      missing: { type: "claude-code", binary: join(dir, "nope") },
    };
    for (const name of Object.keys(modes))
      backends[name] = { type: "claude-code", binary: fake, cwd: dir };
    backends.slow = { type: "claude-code", binary: fake, cwd: dir, concurrency: 1 };
    backends.hang = { type: "claude-code", binary: fake, cwd: dir, timeoutMs: 300 };
    server = await startServer({
      config: testConfig({ home, backends }),
      version: "test",
      backendFactories: {
        "claude-code": ({ name, config, context }) =>
          createClaudeCodeBackend({
            name,
            config: config as ClaudeCodeBackendConfig,
            context,
            home,
            env: modes[name] ?? {},
            onQuotaSignal: (event) => signals.push(event),
          }),
      },
    });
    anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  });

  afterAll(async () => {
    await server?.close(500);
    rmSync(home, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = (model: string, stream = false) =>
    anthropic.messages
      .create({ model, max_tokens: 10, stream, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e as { status?: number; message: string });
  const askOpenAI = (model: string) =>
    openai.chat.completions
      .create({ model, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e as { status?: number; message: string });

  it("answers an exhausted subscription with 429 in both dialects and records it", async () => {
    const error = await ask("exhausted:sonnet");
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as Error).message).toContain("You're out of extra usage");
    const streamed = await ask("exhausted:sonnet", true);
    expect(streamed).toBeInstanceOf(Anthropic.RateLimitError);
    expect(await askOpenAI("exhausted:sonnet")).toBeInstanceOf(OpenAI.RateLimitError);

    const file = join(home, "claude-quota.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const snapshot = JSON.parse(readFileSync(file, "utf8"));
    expect(snapshot).toMatchObject({ status: "exhausted", source: "message" });
    expect(signals[0]).toMatchObject({ backend: "exhausted", kind: "exhausted", overage: true });
  });

  it("says plainly when the CLI is not logged in (401)", async () => {
    const error = await ask("nologin:sonnet");
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as Error).message).toContain("not logged in");
    const openaiError = await askOpenAI("nologin:sonnet");
    expect(openaiError).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("reports a missing binary, a too-old CLI and a bad extra argument as clear, non-retryable 400s", async () => {
    const missing = await ask("missing:sonnet");
    expect((missing as { status?: number }).status).toBe(400);
    expect((missing as Error).message).toContain("claude CLI was not found");
    const old = await askOpenAI("old:sonnet");
    expect((old as { status?: number }).status).toBe(400);
    expect((old as Error).message).toContain("does not support the stream-json options");
    const badarg = await ask("badarg:sonnet");
    expect((badarg as { status?: number }).status).toBe(400);
    expect((badarg as Error).message).toContain("unknown option '--frobnicate'");
  });

  it("passes on an API rate limit the CLI gave up on as 429", async () => {
    const error = await ask("ratelimit:sonnet");
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as Error).message).toContain("Request rejected (429)");
  });

  it("queues runs beyond the concurrency limit", async () => {
    const started = Date.now();
    const answers = await Promise.all([ask("slow:sonnet"), ask("slow:sonnet")]);
    for (const answer of answers) {
      expect(answer).toMatchObject({ content: [{ text: "Hello from mock " }] });
    }
    // Two 400 ms runs one after the other (concurrency 1), not side by side.
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  });

  it("stops a run at its timeout with a 504", async () => {
    const started = Date.now();
    const error = await ask("hang:sonnet");
    expect((error as { status?: number }).status).toBe(504);
    expect((error as Error).message).toContain("did not finish within 300 ms");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("ends a started stream with an error event, never a forged success", async () => {
    const response = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "midstream:sonnet",
        max_tokens: 10,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("event: content_block_delta");
    expect(text).toContain("event: error");
    expect(text).toContain("Connection error");
    expect(text).not.toContain("message_stop");
  });
});

describe("probeClaudeCli", () => {
  it("finds the real CLI and its version", async () => {
    const probe = await probeClaudeCli({ binary: realClaude });
    expect(probe).toMatchObject({ installed: true, path: realClaude });
    expect(probe.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("reports a missing CLI without throwing", async () => {
    const probe = await probeClaudeCli({
      binary: "claude-definitely-not-installed",
      env: { PATH: "/nonexistent" },
    });
    expect(probe.installed).toBe(false);
    expect(probe.error).toContain("not found");
  });
});
