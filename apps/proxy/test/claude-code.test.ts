import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLAUDE_BIN, runClaude } from "./helpers/claude-cli.js";
import {
  CANARY_ANTHROPIC_KEY,
  CANARY_OPENAI_KEY,
  type Harness,
  startHarness,
} from "./helpers/harness.js";

const claude = CLAUDE_BIN;

let h: Harness;
beforeAll(async () => {
  // Side requests (title/quota calls on a haiku model) go to the same mock via the default.
  h = await startHarness({ defaultBackend: "openai-mock" });
});
afterAll(async () => {
  await h.close();
});

describe.skipIf(!existsSync(claude))("the real Claude Code CLI", () => {
  it("gets the answer of an OpenAI-compatible mock through the proxy", async () => {
    const { code, lines, stderr } = await runClaude(h.server.url, [
      "hi",
      "--model",
      "openai-mock:some-model",
    ]);
    expect(code, stderr.slice(0, 500)).toBe(0);
    const result = lines.find((l) => (l as { type?: string }).type === "result") as
      | { subtype: string; result: string; is_error: boolean }
      | undefined;
    expect(result?.is_error).toBe(false);
    // The mock echoes the last user turn: Claude Code's reminder blocks, then the prompt.
    expect(result?.result.startsWith("mock-openai says: ")).toBe(true);
    expect(result?.result.endsWith("hi")).toBe(true);
    const main = h.openai.requests.find((r) => r.body?.model === "some-model");
    expect(main?.headers.authorization).toBe(`Bearer ${CANARY_OPENAI_KEY}`);
    const sent = main?.body as {
      messages: Array<{ role: string }>;
      tools?: unknown[];
      stream?: boolean;
    };
    // Claude Code's system prompt (top-level and system turns) arrives as one system message.
    expect(sent.messages[0]?.role).toBe("system");
    expect(sent.messages.filter((m) => m.role === "system")).toHaveLength(1);
    expect(sent.tools?.length ?? 0).toBeGreaterThan(3);
    expect(sent.stream).toBe(true);
    expect(
      h.logs.some(
        (l) => l.route === "prefix" && l.status === 200 && l.upstreamModel === "some-model",
      ),
    ).toBe(true);
  }, 120_000);

  it("passes through natively to an Anthropic upstream picked by a route", async () => {
    const { code, lines, stderr } = await runClaude(h.server.url, [
      "hello",
      "--model",
      "claude-sonnet-4-5",
    ]);
    expect(code, stderr.slice(0, 500)).toBe(0);
    const result = lines.find((l) => (l as { type?: string }).type === "result") as
      | { result: string; is_error: boolean }
      | undefined;
    expect(result?.is_error).toBe(false);
    expect(result?.result.startsWith("mock-anthropic says: ")).toBe(true);
    const main = h.anthropic.requests.find((r) => r.body?.model === "claude-sonnet-4-5");
    expect(main?.headers["x-api-key"]).toBe(CANARY_ANTHROPIC_KEY);
    expect(main?.headers["anthropic-beta"]).toBeTruthy();
    expect(h.logs.some((l) => l.route === "route:claude-*" && l.status === 200)).toBe(true);
  }, 120_000);
});
