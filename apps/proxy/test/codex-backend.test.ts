/**
 * The `codex` backend end to end with the REAL Codex CLI: official SDK clients → switchyard
 * → `codex exec --json` → a local mock Responses API (the CLI's own config.toml in a temp
 * CODEX_HOME, standing in for a logged-in ChatGPT plan). No request leaves 127.0.0.1.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CodexBackendHarness,
  inputTexts,
  startCodexBackendHarness,
} from "./helpers/codex-backend-harness.js";

describe("codex backend with the real codex CLI", () => {
  let h: CodexBackendHarness;
  let openai: OpenAI;

  beforeAll(async () => {
    h = await startCodexBackendHarness();
    openai = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  });

  afterAll(async () => {
    await h?.close();
  });

  it("answers an OpenAI chat request through one CLI run with no tools and the caller's system prompt", async () => {
    const before = h.responses().length;
    const completion = await openai.chat.completions.create({
      model: "codex:gpt-mock",
      messages: [
        { role: "system", content: "You answer tersely." },
        { role: "user", content: "ping one" },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe("mock-responses says: ping one");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 11 });
    const sent = h.responses().slice(before);
    expect(sent).toHaveLength(1);
    const body = sent[0] ?? {};
    // Every tool of the CLI is off, and the caller's system prompt replaced Codex's own.
    expect(body.tools ?? []).toEqual([]);
    const texts = inputTexts(body);
    expect(texts[0]).toBe("developer: You answer tersely.");
    expect(texts.join("\n")).not.toContain("Codex CLI");
    expect(texts.at(-1)).toBe("user: ping one");
  }, 90_000);
});
