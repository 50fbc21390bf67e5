/**
 * The REAL Claude Code CLI (`claude -p`) reaching a model that only answers on
 * `/v1/responses` (the `responsesOnly` backend option): Anthropic Messages → Responses and
 * back, streaming, with one Bash tool call round trip. Upstream is a local Responses mock.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLAUDE_BIN, runClaude } from "./helpers/claude-cli.js";
import { type ResponsesHarness, startResponsesHarness } from "./helpers/responses-harness.js";

let h: ResponsesHarness;
beforeAll(async () => {
  h = await startResponsesHarness();
});
afterAll(async () => {
  await h.close();
});

describe.skipIf(!existsSync(CLAUDE_BIN))("Claude Code → a Responses-only model", () => {
  it("streams, runs the Bash tool the model asks for, and gets the answer", async () => {
    const { code, lines, stderr } = await runClaude(h.server.url, [
      "Please call Bash for me.",
      "--model",
      "responses-only:gpt-5-codex",
      "--allowedTools",
      "Bash(echo:*)",
    ]);
    expect(code, stderr.slice(0, 500)).toBe(0);
    const main = h.openai.requests.filter((r) => r.body?.model === "gpt-5-codex");
    expect(main.length).toBeGreaterThanOrEqual(2);
    expect(main.every((r) => r.path === "/v1/responses" && r.body?.stream === true)).toBe(true);
    // The Bash result went back paired with the call id the model used.
    const input = main.at(-1)?.body?.input as Array<Record<string, unknown>>;
    const output = input.find((i) => i.type === "function_call_output");
    expect(output?.call_id).toBe("call_resp1");
    expect(JSON.stringify(output?.output)).toContain("hi");
    expect(input.some((i) => i.type === "function_call" && i.name === "Bash")).toBe(true);
    const result = lines.find((l) => (l as { type?: string }).type === "result") as
      | { result: string; is_error: boolean }
      | undefined;
    expect(result?.is_error).toBe(false);
    expect(result?.result).toContain("mock-responses got tool result: hi");
  }, 150_000);
});
