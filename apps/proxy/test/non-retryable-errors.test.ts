/**
 * A failure that cannot heal by itself (a backend whose key variable is unset, a missing
 * `claude` CLI, a model nothing routes) must not be retried: the official SDKs and the real
 * Claude Code CLI give up at once and show the fix. Attempts are counted at the proxy.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/load.js";
import { type RequestLogEntry, type RunningServer, startServer } from "../src/server/index.js";
import { CLAUDE_BIN, runClaude } from "./helpers/claude-cli.js";

let home: string;
let server: RunningServer;
const logs: RequestLogEntry[] = [];
const attempts = (model: string) => logs.filter((e) => e.model === model).length;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "switchyard-noretry-"));
  await writeFile(
    join(home, "config.json"),
    JSON.stringify({
      backends: {
        nokey: { type: "anthropic", baseUrl: "http://127.0.0.1:9", apiKey: "env:SY_NOKEY_KEY" },
        noclaude: { type: "claude-code", binary: join(home, "no-such-claude") },
      },
      routes: [{ match: "claude-*", backend: "nokey" }],
    }),
  );
  // Loaded as the CLI loads it: the unset variable makes `nokey` unavailable, with why.
  const config = await loadConfig({
    env: { HOME: home, SWITCHYARD_HOME: home },
    flags: { port: 0 },
  });
  server = await startServer({
    config,
    version: "test",
    requestLog: (entry) => logs.push(entry),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
});

afterAll(async () => {
  await server?.close(500);
  await rm(home, { recursive: true, force: true });
});

describe("failures that cannot heal by themselves", () => {
  it("are tried once by the Anthropic SDK (default retries on), with the fix in the message", async () => {
    const client = new Anthropic({ baseURL: server.url, apiKey: "x" });
    const error = await client.messages
      .create({
        model: "claude-sdk-nokey",
        max_tokens: 5,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toContain("SY_NOKEY_KEY, which is not set");
    expect((error as Error).message).toContain("switchyard backend add nokey --force --key -");
    expect(attempts("claude-sdk-nokey")).toBe(1);

    const missing = await client.messages
      .create({
        model: "noclaude:sonnet",
        max_tokens: 5,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError);
    expect((missing as Error).message).toContain("claude CLI was not found");
    expect(attempts("noclaude:sonnet")).toBe(1);
  });

  it("are tried once by the OpenAI SDK (default retries on)", async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "x" });
    const ask = (model: string) =>
      client.chat.completions
        .create({ model, messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);
    const error = await ask("nokey:gpt-sdk");
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("backend_unavailable");
    expect((error as Error).message).toContain("SY_NOKEY_KEY");
    expect(attempts("nokey:gpt-sdk")).toBe(1);

    const unrouted = await ask("llama-unrouted");
    expect(unrouted).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unrouted as InstanceType<typeof OpenAI.APIError>).code).toBe("model_not_found");
    expect((unrouted as Error).message).toContain("routes: claude-* -> nokey");
    expect(attempts("llama-unrouted")).toBe(1);
  });

  it("relies on a header both SDKs honour: x-should-retry: false stops even a 503's retries", async () => {
    // A bare upstream, to check the SDKs themselves: the same 503 with and without the header.
    let hits = 0;
    let header: string | undefined;
    const bare = createServer((_req, res) => {
      hits += 1;
      res.writeHead(503, {
        "content-type": "application/json",
        "retry-after-ms": "10",
        ...(header === undefined ? {} : { "x-should-retry": header }),
      });
      res.end(JSON.stringify({ type: "error", error: { type: "api_error", message: "x" } }));
    });
    await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    try {
      const attempts = async (send: () => Promise<unknown>, value: string | undefined) => {
        header = value;
        hits = 0;
        await send().catch(() => {});
        return hits;
      };
      const anthropic = new Anthropic({ baseURL: base, apiKey: "x", maxRetries: 2 });
      const viaAnthropic = () =>
        anthropic.messages.create({
          model: "m",
          max_tokens: 1,
          messages: [{ role: "user", content: "hi" }],
        });
      const openai = new OpenAI({ baseURL: base, apiKey: "x", maxRetries: 2 });
      const viaOpenAI = () =>
        openai.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
      expect(await attempts(viaAnthropic, undefined)).toBe(3);
      expect(await attempts(viaAnthropic, "false")).toBe(1);
      expect(await attempts(viaOpenAI, undefined)).toBe(3);
      expect(await attempts(viaOpenAI, "false")).toBe(1);
    } finally {
      await new Promise((r) => bare.close(r));
    }
  });

  describe.skipIf(!existsSync(CLAUDE_BIN))("the real Claude Code CLI", () => {
    const results = (lines: unknown[]) =>
      lines.filter((l): l is Record<string, unknown> => (l as { type?: string }).type === "result");
    /**
     * The CLI's own clock (`duration_ms`, from its first request to its answer) is under 5 s;
     * the wall clock adds its start-up (about 2-3 s on an idle machine, more when the test
     * machine's cores are busy), so it only gets a looser bound. Today's 503 was retried for
     * minutes: both bounds fail then.
     */
    const expectStoppedWithin5s = (result: Record<string, unknown> | undefined, wallMs: number) => {
      expect(result?.duration_ms).toBeTypeOf("number");
      expect(result?.duration_ms as number).toBeLessThan(5000);
      expect(wallMs).toBeLessThan(15_000);
    };
    const retries = (lines: unknown[]) =>
      lines.filter((l) => (l as { subtype?: string }).subtype === "api_retry");

    it("stops within 5 s on a backend whose key variable is unset, showing the fix", async () => {
      // Its default model (claude-*) routes to `nokey`. Killed after 20 s: today's 503 was
      // retried for minutes.
      const run = await runClaude(server.url, ["hi"], { timeoutMs: 20_000 });
      expect(retries(run.lines)).toEqual([]);
      const [result] = results(run.lines);
      expect(result?.is_error).toBe(true);
      expect(String(result?.result)).toContain("SY_NOKEY_KEY, which is not set");
      expectStoppedWithin5s(result, run.elapsedMs);
    });

    it("stops within 5 s when the claude CLI behind a backend is missing", async () => {
      // No tools: the claude-code backend refuses client tools before it looks for the CLI.
      const run = await runClaude(server.url, ["hi", "--model", "noclaude:sonnet", "--tools", ""], {
        timeoutMs: 20_000,
      });
      expect(retries(run.lines)).toEqual([]);
      const [result] = results(run.lines);
      expect(String(result?.result)).toContain("claude CLI was not found");
      expectStoppedWithin5s(result, run.elapsedMs);
      expect(attempts("noclaude:sonnet")).toBeGreaterThanOrEqual(2);
    });
  });
});
