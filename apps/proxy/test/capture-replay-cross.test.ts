/**
 * Cross-dialect replay, judged by the official SDKs: a capture recorded in one dialect
 * (Anthropic Messages, Chat Completions or Responses) answers a client of another dialect
 * through the proxy's normal translation (request into the recorded dialect, recorded answer
 * back, streams event by event), offline, with no backend but the cassette.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { createRecorder, entryJsonBody, parseCassette } from "@switchyard/template-capture";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "./helpers/config.js";
import { withServer } from "./helpers/with-server.js";

type Dialect = "anthropic" | "chat" | "responses";
const DIALECTS: Dialect[] = ["anthropic", "chat", "responses"];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sy-capture-cross-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Asks `text` in one dialect with its official SDK, plain or streamed; the answer's text. */
async function ask(url: string, dialect: Dialect, text: string, stream: boolean): Promise<string> {
  const model = "tape-model";
  if (dialect === "anthropic") {
    const anthropic = new Anthropic({ baseURL: url, apiKey: "x", maxRetries: 0 });
    const params = { model, max_tokens: 64, messages: [{ role: "user" as const, content: text }] };
    const message = stream
      ? await anthropic.messages.stream(params).finalMessage()
      : await anthropic.messages.create(params);
    return message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
  }
  const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: "x", maxRetries: 0 });
  if (dialect === "chat") {
    const messages = [{ role: "user" as const, content: text }];
    if (!stream) {
      return (await openai.chat.completions.create({ model, messages })).choices[0]?.message
        .content as string;
    }
    let out = "";
    const chunks = await openai.chat.completions.create({ model, messages, stream: true });
    for await (const chunk of chunks) out += chunk.choices[0]?.delta.content ?? "";
    return out;
  }
  if (!stream) return (await openai.responses.create({ model, input: text })).output_text;
  const events = openai.responses.stream({ model, input: text });
  return (await events.finalResponse()).output_text;
}

const question = (dialect: Dialect, stream: boolean) =>
  `${stream ? "streamed" : "plain"} question first asked in ${dialect}`;

describe("replay across dialects (official SDKs)", () => {
  /** What each recording client got, by dialect and stream flag. */
  const answers = new Map<string, string>();
  const cassette = (dialect: Dialect) => join(dir, `${dialect}.har`);

  it("records one plain and one streamed exchange per dialect against echo", async () => {
    for (const dialect of DIALECTS) {
      const recorder = await createRecorder({
        path: cassette(dialect),
        creator: { name: "switchyard", version: "t" },
      });
      await withServer(
        testConfig({ defaultBackend: "echo" }),
        async (url) => {
          for (const stream of [false, true]) {
            const answer = await ask(url, dialect, question(dialect, stream), stream);
            expect(answer).toContain(question(dialect, stream));
            answers.set(`${dialect}:${stream}`, answer);
          }
        },
        recorder,
      );
      await recorder.close();
      expect(recorder.entries).toBe(2);
    }
  });

  describe.each(
    DIALECTS.flatMap((recorded) =>
      DIALECTS.filter((client) => client !== recorded).map((client) => ({ recorded, client })),
    ),
  )("a $recorded capture answers a $client client", ({ recorded, client }) => {
    const config = () =>
      testConfig({
        backends: { tape: { type: "replay", cassette: cassette(recorded) } },
        defaultBackend: "tape",
      });

    it("with the recorded answers, plain and streamed", async () => {
      await withServer(config(), async (url) => {
        for (const stream of [false, true]) {
          const answer = await ask(url, client, question(recorded, stream), stream);
          expect(answer).toBe(answers.get(`${recorded}:${stream}`));
        }
      });
    });

    it("and a 404 in the client's dialect naming the closest recording on a miss", async () => {
      await withServer(config(), async (url) => {
        const error = await ask(url, client, "never asked", false).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(
          client === "anthropic" ? Anthropic.NotFoundError : OpenAI.NotFoundError,
        );
        expect((error as Error).message).toMatch(/closest is entry #0/);
        expect((error as Error).message).toContain("never asked");
      });
    });
  });
});

/** The checked-in recordings of the real Claude Code and Codex CLIs (openai-compat's fixtures). */
const golden = (file: string) =>
  join(import.meta.dirname, "../../../packages/openai-compat/test/fixtures/recorded", file);

type Part = { type?: string; text?: string };
const texts = (content: unknown): string[] =>
  typeof content === "string"
    ? [content]
    : (content as Part[]).filter((p) => typeof p.text === "string").map((p) => p.text as string);

describe("replay across dialects: the recorded real CLIs (golden fixtures)", () => {
  const tape = (file: string) =>
    testConfig({
      backends: { tape: { type: "replay", cassette: golden(file) } },
      defaultBackend: "tape",
    });
  /** The last recorded request, and the text its recorded stream answered. */
  const recorded = async (file: string) => {
    const entry = parseCassette(await readFile(golden(file), "utf8")).log.entries.at(-1);
    const body = entry === undefined ? undefined : entryJsonBody(entry);
    if (body === undefined) throw new Error(`${file}: no recorded request`);
    const answer = (entry?.response.content.text ?? "")
      .split("\n")
      .filter((l) => l.startsWith("data: {"))
      .map((l) => JSON.parse(l.slice(6)) as { type: string; delta?: unknown })
      .map((e) =>
        e.type === "content_block_delta"
          ? ((e.delta as { text?: string }).text ?? "")
          : e.type === "response.output_text.delta"
            ? String(e.delta)
            : "",
      )
      .join("");
    expect(answer.length).toBeGreaterThan(0);
    return { body, answer };
  };

  it("Claude Code's recorded answer reaches the OpenAI SDK (chat and responses, streamed)", async () => {
    const { body, answer } = await recorded("claude-code.har");
    // The same conversation, asked in the other dialect: Claude Code's user turns.
    const turns = (body.messages as Array<{ role: string; content: unknown }>)
      .filter((m) => m.role === "user")
      .map((m) => texts(m.content));
    await withServer(tape("claude-code.har"), async (url) => {
      const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: "x", maxRetries: 0 });
      let chat = "";
      const chunks = await openai.chat.completions.create({
        model: "gpt-x",
        stream: true,
        messages: turns.map((parts) => ({
          role: "user" as const,
          content: parts.map((text) => ({ type: "text" as const, text })),
        })),
      });
      for await (const chunk of chunks) chat += chunk.choices[0]?.delta.content ?? "";
      expect(chat).toBe(answer);
      const responses = await openai.responses
        .stream({
          model: "gpt-x",
          input: turns.map((parts) => ({
            role: "user" as const,
            content: parts.map((text) => ({ type: "input_text" as const, text })),
          })),
        })
        .finalResponse();
      expect(responses.output_text).toBe(answer);
    });
  });

  it("Codex's recorded answer reaches the Anthropic SDK (streamed)", async () => {
    const { body, answer } = await recorded("codex.har");
    const turns = (body.input as Array<{ role?: string; content: unknown }>)
      .filter((i) => i.role === "user")
      .map((i) => texts(i.content));
    await withServer(tape("codex.har"), async (url) => {
      const anthropic = new Anthropic({ baseURL: url, apiKey: "x", maxRetries: 0 });
      const message = await anthropic.messages
        .stream({
          model: "claude-x",
          max_tokens: 256,
          messages: turns.map((parts) => ({
            role: "user" as const,
            content: parts.map((text) => ({ type: "text" as const, text })),
          })),
        })
        .finalMessage();
      expect(message.content).toEqual([expect.objectContaining({ type: "text", text: answer })]);
    });
  });
});
