/**
 * The `codex` backend end to end with the REAL Codex CLI: official SDK clients → switchyard
 * → `codex exec --json` → a local mock Responses API (the CLI's own config.toml in a temp
 * CODEX_HOME, standing in for a logged-in ChatGPT plan). No request leaves 127.0.0.1.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODEX_SESSIONS_FILE } from "../src/backends/codex/codex-backend.js";
import {
  type CodexBackendHarness,
  inputTexts,
  processesIn,
  startCodexBackendHarness,
} from "./helpers/codex-backend-harness.js";
import { waitFor } from "./helpers/harness.js";

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

  it("continues a conversation by forking the CLI's thread: the mock sees the first turn as history", async () => {
    const first = await openai.chat.completions.create({
      model: "codex:gpt-mock",
      messages: [{ role: "user", content: "remember the apple" }],
    });
    const answer = first.choices[0]?.message.content ?? "";
    expect(answer).toBe("mock-responses says: remember the apple");
    const before = h.responses().length;
    const second = await openai.chat.completions.create({
      model: "codex:gpt-mock",
      messages: [
        { role: "user", content: "remember the apple" },
        { role: "assistant", content: answer },
        { role: "user", content: "what was it?" },
      ],
    });
    expect(second.choices[0]?.message.content).toBe("mock-responses says: what was it?");
    const sent = h.responses().slice(before);
    expect(sent).toHaveLength(1);
    const texts = inputTexts(sent[0] ?? {});
    // The earlier turns are real history items of the thread, not a replayed transcript.
    expect(texts).toContain("user: remember the apple");
    expect(texts).toContain(`assistant: ${answer}`);
    expect(texts.at(-1)).toBe("user: what was it?");
    expect(texts.join("\n")).not.toContain("<conversation_history>");
    // This turn's own tokens, not the forked thread's running total.
    expect(second.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 11 });
    const map = statSync(join(h.home, CODEX_SESSIONS_FILE));
    expect(map.mode & 0o777).toBe(0o600);
  }, 120_000);

  it("replays a history it has not seen as a transcript in one run", async () => {
    const before = h.responses().length;
    const completion = await openai.chat.completions.create({
      model: "codex:gpt-mock",
      messages: [
        { role: "user", content: "an old question from elsewhere" },
        { role: "assistant", content: "an old answer" },
        { role: "user", content: "and now?" },
      ],
    });
    expect(completion.choices[0]?.message.content).toContain("and now?");
    const texts = inputTexts(h.responses().slice(before)[0] ?? {});
    expect(texts.at(-1)).toContain("<conversation_history>");
    expect(texts.at(-1)).toContain("an old answer");
  }, 90_000);

  it("refuses client-defined tools with a 400 and runs nothing", async () => {
    const before = h.responses().length;
    const error = await openai.chat.completions
      .create({
        model: "codex:gpt-mock",
        messages: [{ role: "user", content: "weather?" }],
        tools: [{ type: "function", function: { name: "get_weather", parameters: {} } }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain("does not run client-defined tools");
    expect(h.responses().length).toBe(before);
  }, 30_000);

  it("kills the CLI's process group when the client disconnects mid-stream", async () => {
    const before = h.mock.requests.length;
    const controller = new AbortController();
    const pending = fetch(`${h.server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "codex:gpt-mock",
        stream: true,
        messages: [{ role: "user", content: "SLOW please" }],
      }),
      signal: controller.signal,
    }).catch(() => undefined);
    // The CLI is running and waiting on the mock.
    await waitFor(() => h.mock.requests.length > before, 30_000);
    expect(processesIn(h.cwd).length).toBeGreaterThan(0);
    controller.abort();
    await pending;
    await waitFor(() => processesIn(h.cwd).length === 0, 10_000);
  }, 60_000);
});
