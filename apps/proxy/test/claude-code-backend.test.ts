/**
 * End to end with the REAL Claude Code CLI: official SDK clients → switchyard → `claude -p`
 * → a local mock Anthropic upstream (the CLI's own ANTHROPIC_BASE_URL, set for the child
 * only). No request leaves 127.0.0.1.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ClaudeRunReport,
  createClaudeCodeBackend,
} from "../src/backends/claude-code/claude-code-backend.js";
import type { ClaudeCodeBackendConfig } from "../src/config/types.js";
import { type RunningServer, startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";
import { PNG } from "./helpers/mock-behaviors.js";
import { type MockUpstream, startMockUpstream } from "./helpers/mock-upstream.js";
import { processesIn } from "./helpers/processes.js";

const claudeBin = join(import.meta.dirname, "../node_modules/.bin/claude");

type Json = Record<string, unknown>;

/** A valid Anthropic Messages SSE answer, written event by event. */
async function answerSse(
  res: ServerResponse,
  model: string,
  text: string,
  stallMs = 0,
  stopReason = "end_turn",
) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const send = (type: string, data: Json) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send("message_start", {
    message: {
      id: `msg_mock${Date.now()}`,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 21, output_tokens: 1 },
    },
  });
  send("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
  const words = text.split(" ");
  for (const [i, word] of words.entries()) {
    send("content_block_delta", {
      index: 0,
      delta: { type: "text_delta", text: i === 0 ? word : ` ${word}` },
    });
    if (stallMs > 0) await new Promise((r) => setTimeout(r, stallMs));
    if (res.destroyed) return;
  }
  send("content_block_stop", { index: 0 });
  send("message_delta", {
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: 7 },
  });
  send("message_stop", {});
  res.end();
}

/** Only the caller's text of a CLI request: the CLI adds `<system-reminder>` blocks of its own. */
function callerTexts(body: Json | undefined): Array<[string, string]> {
  const messages = (body?.messages ?? []) as Array<{ role: string; content: unknown }>;
  return messages.map((m) => {
    const blocks =
      typeof m.content === "string" ? [{ type: "text", text: m.content }] : (m.content as Json[]);
    const text = blocks
      .filter((b) => b.type === "text" && !String(b.text).startsWith("<system-reminder>"))
      .map((b) => String(b.text))
      .join("");
    return [m.role, text.trim()];
  });
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

describe("claude-code backend with the real claude CLI", () => {
  let mock: MockUpstream;
  let server: RunningServer;
  let home: string;
  let cwd: string;
  let childHome: string;
  let anthropic: Anthropic;
  let openai: OpenAI;
  const reports: ClaudeRunReport[] = [];
  const messageRequests = () => mock.requests.filter((r) => r.path.startsWith("/v1/messages"));
  /** Prompts whose first upstream attempt was already cut off. */
  const cutOnce = new Set<string>();

  /** (Re)starts the proxy on the same home, as a restarted `switchyard proxy` would. */
  async function start() {
    const config: ClaudeCodeBackendConfig = {
      type: "claude-code",
      binary: claudeBin,
      cwd,
      timeoutMs: 30_000,
    };
    server = await startServer({
      config: testConfig({ home, backends: { claude: config } }),
      version: "test",
      backendFactories: {
        "claude-code": ({ name, config: c, context }) =>
          createClaudeCodeBackend({
            name,
            config: c as ClaudeCodeBackendConfig,
            context,
            home,
            killGraceMs: 500,
            onRunComplete: (report) => reports.push(report),
            env: {
              HOME: childHome,
              ANTHROPIC_BASE_URL: mock.url,
              ANTHROPIC_API_KEY: "test-key-not-real",
              CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
              DISABLE_TELEMETRY: "1",
              DISABLE_AUTOUPDATER: "1",
              DISABLE_ERROR_REPORTING: "1",
            },
          }),
      },
    });
    anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "switchyard-cc-home-"));
    cwd = mkdtempSync(join(tmpdir(), "switchyard-cc-cwd-"));
    childHome = mkdtempSync(join(tmpdir(), "switchyard-cc-child-"));
    mock = await startMockUpstream(async (request, res) => {
      if (!request.path.startsWith("/v1/messages")) {
        res.writeHead(404).end();
        return;
      }
      const said =
        callerTexts(request.body).at(-1)?.[1].split("</conversation_history>").at(-1) ?? "";
      const model = String(request.body?.model);
      const cut = /CUT-(\w+)/.exec(said)?.[1];
      if (cut !== undefined && !cutOnce.has(cut)) {
        // The first attempt of this prompt: a few words, then the connection drops.
        cutOnce.add(cut);
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(
          `event: message_start\ndata: ${JSON.stringify({ type: "message_start", message: { id: "msg_cut", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 21, output_tokens: 1 } } })}\n\n`,
        );
        res.write(
          `event: content_block_start\ndata: ${JSON.stringify({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } })}\n\n`,
        );
        res.write(
          `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "partial words" } })}\n\n`,
        );
        setTimeout(() => res.destroy(), 50);
        return;
      }
      const images = ((request.body?.messages ?? []) as Array<{ content: unknown }>)
        .flatMap((m) => (Array.isArray(m.content) ? (m.content as Json[]) : []))
        .filter((b) => b.type === "image").length;
      if (said.includes("SLOW")) await answerSse(res, model, "one two three four five six", 1000);
      else if (said.includes("MAXCUT"))
        await answerSse(res, model, "cut off after", 0, "max_tokens");
      else if (images > 0) await answerSse(res, model, `Mock saw ${images} image`);
      else await answerSse(res, model, `Mock says hello to: ${said.trim().slice(-40)}`);
    });
    await start();
  });

  afterAll(async () => {
    await server?.close(1000);
    await mock?.close();
    for (const dir of [home, cwd, childHome]) rmSync(dir, { recursive: true, force: true });
  });

  it("answers an Anthropic SDK request through one CLI run with no tools", async () => {
    const message = await anthropic.messages.create({
      model: "claude:claude-sonnet-4-5",
      max_tokens: 100,
      system: "You answer tersely.",
      messages: [{ role: "user", content: "ping one" }],
    });
    expect(message.content[0]).toMatchObject({
      type: "text",
      text: "Mock says hello to: ping one",
    });
    expect(message.usage.output_tokens).toBe(7);
    const sent = messageRequests().at(-1)?.body as Json;
    expect(sent.model).toBe("claude-sonnet-4-5");
    expect(sent.tools).toEqual([]);
    expect(JSON.stringify(sent.system)).toContain("You answer tersely.");
    expect(callerTexts(sent)).toEqual([["user", "ping one"]]);
  });

  it("never lets the CLI read a file the client names with @ (its file mentions)", async () => {
    const secretDir = mkdtempSync(join(tmpdir(), "switchyard-cc-secret-"));
    const secret = join(secretDir, "secret.txt");
    writeFileSync(secret, "CANARY-FILE-CONTENT-5d1e\n");
    try {
      const before = messageRequests().length;
      const message = await anthropic.messages.create({
        model: "claude:claude-sonnet-4-5",
        max_tokens: 100,
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: `@${secret} and\n@${secretDir}` },
              { type: "text", text: `@${secret}` },
            ],
          },
        ],
      });
      expect(message.content[0]?.type).toBe("text");
      const sent = JSON.stringify(
        messageRequests()
          .slice(before)
          .map((r) => r.body),
      );
      expect(sent).toContain("secret.txt"); // the text itself reached the model…
      expect(sent).not.toContain("CANARY-FILE-CONTENT"); // …the file did not…
      expect(sent).not.toContain("Called the Bash tool"); // …nor a listing of the directory.
    } finally {
      rmSync(secretDir, { recursive: true, force: true });
    }
  });

  it("answers with the CLI's retried message when the API connection drops mid-answer", async () => {
    const message = await anthropic.messages.create({
      model: "claude:claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "CUT-plain please" }],
    });
    // Not the cut-off "partial words": the complete retried answer, with its stop reason.
    expect(message.content[0]).toMatchObject({
      type: "text",
      text: "Mock says hello to: CUT-plain please",
    });
    expect(message.stop_reason).toBe("end_turn");

    // Streaming, the partial words were already sent: an error event, never a false success.
    const stream = anthropic.messages.stream({
      model: "claude:claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "CUT-streamed please" }],
    });
    // When the drop comes before the proxy has sent any text (a busy machine delays the CLI's
    // partial events), the retried answer is served whole; either way never the partial.
    const outcome = await stream.finalMessage().catch((e: unknown) => e);
    if (outcome instanceof Error) {
      expect(String(outcome.message)).toContain("dropped mid-answer");
    } else {
      const message = outcome as Anthropic.Message;
      expect(message.content[0]).toMatchObject({
        type: "text",
        text: "Mock says hello to: CUT-streamed please",
      });
      expect(message.stop_reason).toBe("end_turn");
    }
  }, 60_000);

  it("replays the history when the CLI's stored session is gone, and forgets it", async () => {
    const first = await anthropic.messages.create({
      model: "claude:claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "gone turn" }],
    });
    const answer = (first.content[0] as { text: string }).text;
    // The CLI's own transcripts disappear (cleanup, another HOME): the stored id is stale.
    rmSync(join(childHome, ".claude", "projects"), { recursive: true, force: true });
    const ask = () =>
      anthropic.messages.create({
        model: "claude:claude-sonnet-4-5",
        max_tokens: 100,
        messages: [
          { role: "user", content: "gone turn" },
          { role: "assistant", content: answer },
          { role: "user", content: "next turn" },
        ],
      });
    const second = await ask();
    expect(second.content[0]).toMatchObject({ text: "Mock says hello to: next turn" });
    // Replayed: the history went as a transcript block ahead of the new turn.
    expect(JSON.stringify(messageRequests().at(-1)?.body)).toContain("conversation_history");
    expect(reports.at(-1)).toMatchObject({ ok: true, resumed: false });
    // The stale id is forgotten: asking again does not try it (one run, not a failed resume first).
    const before = reports.length;
    await ask();
    expect(reports.slice(before)).toHaveLength(1);
  }, 60_000);

  it("streams to Anthropic callers and resumes the CLI session on the next turn, across a restart", async () => {
    const stream = anthropic.messages.stream({
      model: "claude:claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "first turn" }],
    });
    const deltas: string[] = [];
    stream.on("text", (t) => deltas.push(t));
    const first = await stream.finalMessage();
    const answer = (first.content[0] as { text: string }).text;
    expect(answer).toBe("Mock says hello to: first turn");
    expect(deltas.length).toBeGreaterThan(1);

    // A restarted proxy still knows the conversation (claude-code-sessions.json).
    await server.close(1000);
    await start();

    const second = await anthropic.messages.create({
      model: "claude:claude-sonnet-4-5",
      max_tokens: 100,
      messages: [
        { role: "user", content: "first turn" },
        { role: "assistant", content: answer },
        { role: "user", content: "second turn" },
      ],
    });
    expect(second.content[0]).toMatchObject({ text: "Mock says hello to: second turn" });
    // Resumed: the CLI itself sent the first turn as real history, not a replayed transcript.
    expect(callerTexts(messageRequests().at(-1)?.body)).toEqual([
      ["user", "first turn"],
      ["assistant", answer],
      ["user", "second turn"],
    ]);
    expect(reports.at(-2)).toMatchObject({ ok: true, resumed: false });
    expect(reports.at(-1)).toMatchObject({ ok: true, resumed: true, usage: { outputTokens: 7 } });
    expect(reports.at(-1)?.costUsd).toBeGreaterThan(0);
    const file = join(home, "claude-code-sessions.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("serves OpenAI SDK callers (streaming and not), replays an unknown history, resumes a known one", async () => {
    const completion = await openai.chat.completions.create({
      model: "claude:claude-sonnet-4-5",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "My name is Ada." },
        { role: "assistant", content: "Hello Ada." },
        { role: "user", content: "what is my name" },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe("Mock says hello to: what is my name");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    const replay = callerTexts(messageRequests().at(-1)?.body);
    expect(replay).toHaveLength(1);
    expect(replay[0]?.[1]).toContain("<conversation_history>");
    expect(replay[0]?.[1]).toContain("<assistant>\nHello Ada.\n</assistant>");

    const stream = await openai.chat.completions.create({
      model: "claude:claude-sonnet-4-5",
      messages: [{ role: "user", content: "stream please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("Mock says hello to: stream please");
    expect(usage).toMatchObject({ completion_tokens: 7 });

    // The OpenAI client sends the answer back as a plain string: still the same conversation.
    const next = await openai.chat.completions.create({
      model: "claude:claude-sonnet-4-5",
      messages: [
        { role: "user", content: "stream please" },
        { role: "assistant", content: text },
        { role: "user", content: "and again" },
      ],
    });
    expect(next.choices[0]?.message.content).toBe("Mock says hello to: and again");
    expect(callerTexts(messageRequests().at(-1)?.body)).toEqual([
      ["user", "stream please"],
      ["assistant", text],
      ["user", "and again"],
    ]);
  });

  it("serves the OpenAI Responses API (create and stream) through the CLI", async () => {
    const response = await openai.responses.create({
      model: "claude:claude-sonnet-4-5",
      instructions: "Be brief.",
      input: "responses ping",
    });
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("Mock says hello to: responses ping");
    expect(response.usage?.output_tokens).toBe(7);
    const stream = openai.responses.stream({
      model: "claude:claude-sonnet-4-5",
      input: "responses stream",
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe("response.created");
    expect(types).toContain("response.output_text.delta");
    expect(types.at(-1)).toBe("response.completed");
    expect((await stream.finalResponse()).output_text).toBe("Mock says hello to: responses stream");
  });

  it("Responses API through the CLI: image input, a max_tokens cut-off as incomplete, client tools refused", async () => {
    const image = await openai.responses.create({
      model: "claude:claude-sonnet-4-5",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "what is in this picture?" },
            { type: "input_image", image_url: `data:image/png;base64,${PNG}`, detail: "auto" },
          ],
        },
      ],
    });
    expect(image.status).toBe("completed");
    expect(image.output_text).toBe("Mock saw 1 image");
    // The upstream's own cut-off (the CLI has no max_tokens flag): incomplete, both ways.
    const cut = await openai.responses.create({
      model: "claude:claude-sonnet-4-5",
      input: "MAXCUT one",
    });
    expect(cut.status).toBe("incomplete");
    expect(cut.incomplete_details?.reason).toBe("max_output_tokens");
    const stream = openai.responses.stream({
      model: "claude:claude-sonnet-4-5",
      input: "MAXCUT two",
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.filter((t) => /^response\.(completed|incomplete|failed)$/.test(t))).toEqual([
      "response.incomplete",
    ]);
    expect(types.at(-1)).toBe("response.incomplete");
    // A function tool: the CLI runs only its own tools, so the round trip is refused up front.
    const before = messageRequests().length;
    const error = await openai.responses
      .create({
        model: "claude:claude-sonnet-4-5",
        input: "weather?",
        tools: [{ type: "function", name: "get_weather", parameters: {}, strict: false }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain("does not run client-defined tools");
    expect(messageRequests().length).toBe(before);
  });

  it("refuses client tools with a 400 in the caller's dialect, without running the CLI", async () => {
    const before = messageRequests().length;
    const error = await openai.chat.completions
      .create({
        model: "claude:claude-sonnet-4-5",
        messages: [{ role: "user", content: "weather?" }],
        tools: [{ type: "function", function: { name: "get_weather", parameters: {} } }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain("does not run client-defined tools");
    const anthropicError = await anthropic.messages
      .create({
        model: "claude:claude-sonnet-4-5",
        max_tokens: 10,
        messages: [{ role: "user", content: "weather?" }],
        tools: [{ name: "get_weather", input_schema: { type: "object" } }],
      })
      .catch((e: unknown) => e);
    expect(anthropicError).toBeInstanceOf(Anthropic.BadRequestError);
    expect(messageRequests().length).toBe(before);
  });

  it("kills the CLI's process group when the client disconnects mid-stream", async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "claude:claude-sonnet-4-5",
        max_tokens: 100,
        stream: true,
        messages: [{ role: "user", content: "SLOW please" }],
      }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    const firstChunk = await reader?.read();
    expect(new TextDecoder().decode(firstChunk?.value)).toContain("event: message_start");
    expect(processesIn(cwd).length).toBeGreaterThan(0);
    controller.abort();
    expect(await waitFor(() => processesIn(cwd).length === 0, 3000)).toBe(true);
  });

  it("ends a live stream with an error event when the proxy shuts down mid-answer", async () => {
    const stream = anthropic.messages.stream({
      model: "claude:claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "SLOW shutdown" }],
    });
    await new Promise<void>((resolve) => stream.once("text", () => resolve()));
    const closing = server.close(200);
    const error = await stream.finalMessage().catch((e: unknown) => e);
    await closing;
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain("shutting down");
    await start(); // afterAll closes the proxy again
  }, 30_000);
});
