/**
 * The `codex` backend answers every dialect, streaming and not, from one run of the REAL
 * Codex CLI against a local mock Responses API: the official `openai` SDK (Chat Completions
 * and Responses), `@anthropic-ai/sdk`, and the real Claude Code CLI as clients.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runClaude } from "./helpers/claude-cli.js";
import {
  type CodexBackendHarness,
  inputTexts,
  startCodexBackendHarness,
} from "./helpers/codex-backend-harness.js";

describe("codex backend: every client dialect", () => {
  let h: CodexBackendHarness;
  let openai: OpenAI;
  let anthropic: Anthropic;

  beforeAll(async () => {
    h = await startCodexBackendHarness({
      // Claude Code's side requests (titles, quota checks) go to echo; its main turn to codex.
      server: { defaultBackend: "echo" },
      extraBackends: { echo: { type: "echo" } },
    });
    openai = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: h.server.url, apiKey: "unused", maxRetries: 0 });
  });

  afterAll(async () => {
    await h?.close();
  });

  it("streams an OpenAI chat answer with the CLI's reasoning and usage", async () => {
    const stream = await openai.chat.completions.create({
      model: "codex:gpt-mock",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "ping two" }],
    });
    let text = "";
    let reasoning = "";
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string };
      text += delta?.content ?? "";
      reasoning += delta?.reasoning_content ?? "";
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("mock-responses says: ping two");
    expect(reasoning).toBe("Thinking it over.");
    expect(finish).toBe("stop");
    expect(usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 11 });
  }, 90_000);

  it("answers the Responses API, JSON and stream", async () => {
    const response = await openai.responses.create({
      model: "codex:gpt-mock",
      input: "ping three",
    });
    expect(response.output_text).toBe("mock-responses says: ping three");
    expect(response.output.map((o) => o.type)).toEqual(["reasoning", "message"]);
    expect(response.usage).toMatchObject({ input_tokens: 40, output_tokens: 11 });

    const stream = await openai.responses.create({
      model: "codex:gpt-mock",
      input: "ping four",
      stream: true,
    });
    let text = "";
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(text).toBe("mock-responses says: ping four");
    expect(completed?.status).toBe("completed");
  }, 90_000);

  it("answers the Anthropic SDK, JSON and stream, with thinking and cache reads counted apart", async () => {
    const message = await anthropic.messages.create({
      model: "codex:gpt-mock",
      max_tokens: 100,
      messages: [{ role: "user", content: "ping five" }],
    });
    expect(message.content.map((b) => b.type)).toEqual(["thinking", "text"]);
    expect(message.content[1]).toMatchObject({ text: "mock-responses says: ping five" });
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({
      input_tokens: 32,
      cache_read_input_tokens: 8,
      output_tokens: 11,
    });
    const streamed = await anthropic.messages
      .stream({
        model: "codex:gpt-mock",
        max_tokens: 100,
        messages: [{ role: "user", content: "ping six" }],
      })
      .finalMessage();
    expect(streamed.content.at(-1)).toMatchObject({
      type: "text",
      text: "mock-responses says: ping six",
    });
  }, 90_000);

  it("serves the real Claude Code CLI as a client", async () => {
    const before = h.responses().length;
    const { code, lines, stderr } = await runClaude(h.server.url, [
      "hi from claude code",
      "--model",
      "codex:gpt-mock",
      "--tools",
      "",
    ]);
    expect(code, stderr.slice(0, 500)).toBe(0);
    const result = lines.find((l) => (l as { type?: string }).type === "result") as
      | { result: string; is_error: boolean }
      | undefined;
    expect(result?.is_error).toBe(false);
    expect(result?.result.startsWith("mock-responses says: ")).toBe(true);
    expect(result?.result.endsWith("hi from claude code")).toBe(true);
    // Claude Code's system prompt became the instructions Codex sent, in place of its own.
    const sent = h.responses().slice(before);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(inputTexts(sent[0] ?? {})[0]).toContain("Claude");
  }, 180_000);
});
