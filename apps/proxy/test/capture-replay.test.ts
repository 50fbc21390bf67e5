/**
 * `proxy --capture` (the capture tap in the server) and the `replay` backend, judged by the
 * official OpenAI and Anthropic SDKs: what a capture records replays to the same client,
 * byte for byte, in both dialects, streamed or not, with no upstream.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { createRecorder, type HarLog, parseCassette } from "@switchyard/template-capture";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "./helpers/config.js";
import { withServer } from "./helpers/with-server.js";

const CANARY = "sk-ant-api03-CANARYreplay0123456789abcdef";
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sy-capture-replay-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The same four calls every time: OpenAI and Anthropic, plain and streamed. */
async function calls(url: string): Promise<unknown[]> {
  const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: CANARY, maxRetries: 0 });
  const anthropic = new Anthropic({ baseURL: url, apiKey: CANARY, maxRetries: 0 });
  const out: unknown[] = [];
  out.push(
    (
      await openai.chat.completions.create({
        model: "echo-model",
        messages: [{ role: "user", content: "hello openai" }],
      })
    ).choices[0]?.message.content,
  );
  const chunks: string[] = [];
  const stream = await openai.chat.completions.create({
    model: "echo-model",
    stream: true,
    messages: [{ role: "user", content: "stream openai" }],
  });
  for await (const chunk of stream) chunks.push(chunk.choices[0]?.delta.content ?? "");
  out.push(chunks.join(""));
  const message = await anthropic.messages.create({
    model: "claude-echo",
    max_tokens: 50,
    messages: [{ role: "user", content: "hello anthropic" }],
  });
  out.push(message.content);
  const streamed = await anthropic.messages
    .stream({
      model: "claude-echo",
      max_tokens: 50,
      messages: [{ role: "user", content: "stream anthropic" }],
    })
    .finalMessage();
  out.push(streamed.content);
  return out;
}

describe("capture tap + replay backend", () => {
  let har: HarLog;
  let text: string;
  let recorded: unknown[];
  const cassette = () => join(dir, "sdk.har");

  it("records every API exchange, scrubbed, with stream timings and routing", async () => {
    const recorder = await createRecorder({
      path: cassette(),
      creator: { name: "switchyard", version: "t" },
    });
    recorded = await withServer(testConfig({ defaultBackend: "echo" }), calls, recorder);
    // /health is the proxy's own endpoint: not part of a capture.
    await withServer(testConfig(), async (url) => (await fetch(`${url}/health`)).text(), recorder);
    await recorder.close();
    text = await readFile(cassette(), "utf8");
    har = parseCassette(text);
    expect(text).not.toContain(CANARY);
    expect(
      har.log.entries.map(
        (e) => `${e.request.method} ${new URL(e.request.url).pathname} ${e.response.status}`,
      ),
    ).toEqual([
      "POST /v1/chat/completions 200",
      "POST /v1/chat/completions 200",
      "POST /v1/messages 200",
      "POST /v1/messages 200",
    ]);
    // requestId: the request log's id of that exchange (what `GET /capture?id=` finds).
    const requestId = expect.stringMatching(/^[0-9a-f-]{36}$/);
    expect(har.log.entries.map((e) => e._switchyard)).toEqual([
      { dialect: "openai", backend: "echo", model: "echo-model", stream: false, requestId },
      { dialect: "openai", backend: "echo", model: "echo-model", stream: true, requestId },
      { dialect: "anthropic", backend: "echo", model: "claude-echo", stream: false, requestId },
      { dialect: "anthropic", backend: "echo", model: "claude-echo", stream: true, requestId },
    ]);
    const streamed = har.log.entries[3];
    expect(streamed?.response.content.mimeType).toMatch(/^text\/event-stream/);
    expect(streamed?.response.content._sseEvents?.length).toBeGreaterThan(4);
    expect(streamed?.response.content.text).toContain("event: message_stop");
    expect(
      har.log.entries[0]?.request.headers.find((h) => h.name === "authorization")?.value,
    ).toMatch(/^Bearer <scrubbed:/);
  });

  it("replays the capture to the same SDK calls with the same answers, offline", async () => {
    const config = testConfig({
      backends: { echo: { type: "echo" }, tape: { type: "replay", cassette: cassette() } },
      defaultBackend: "tape",
    });
    const replayed = await withServer(config, calls);
    expect(replayed).toEqual(recorded);
  });

  it("answers a request with no recording 404 in the caller's dialect, naming the closest", async () => {
    const config = testConfig({
      backends: { echo: { type: "echo" }, tape: { type: "replay", cassette: cassette() } },
      defaultBackend: "tape",
    });
    await withServer(config, async (url) => {
      const anthropic = new Anthropic({ baseURL: url, apiKey: "x", maxRetries: 0 });
      const error = await anthropic.messages
        .create({
          model: "claude-echo",
          max_tokens: 50,
          messages: [{ role: "user", content: "hello anthropix" }],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.NotFoundError);
      expect((error as Error).message).toContain("closest is entry #2");
      expect((error as Error).message).toMatch(
        /recorded \\?"hello anthropic\\?", got \\?"hello anthropix/,
      );
      const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: "x", maxRetries: 0 });
      const missing = await openai.chat.completions
        .create({ model: "echo-model", messages: [{ role: "user", content: "never said" }] })
        .catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    });
  });

  it("answers a non-retryable 400 naming the cassette when it cannot be read", async () => {
    const config = testConfig({
      backends: {
        echo: { type: "echo" },
        tape: { type: "replay", cassette: join(dir, "missing.har") },
      },
      defaultBackend: "tape",
    });
    await withServer(config, async (url) => {
      const res = await fetch(`${url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "m",
          max_tokens: 1,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/cannot read cassette .*missing\.har: ENOENT/);
    });
  });

  it("streams with the recorded pacing, or at full speed", async () => {
    const entry = har.log.entries[3];
    if (entry === undefined) throw new Error("no stream recorded");
    const events = entry.response.content._sseEvents ?? [];
    // Spread the recorded events over 400 ms.
    const paced: HarLog = {
      log: {
        ...har.log,
        entries: [
          {
            ...entry,
            response: {
              ...entry.response,
              content: {
                ...entry.response.content,
                _sseEvents: events.map((e, i) => ({
                  ...e,
                  offsetMs: (400 * i) / (events.length - 1),
                })),
              },
            },
          },
        ],
      },
    };
    const file = join(dir, "paced.har");
    await writeFile(file, JSON.stringify(paced));
    const body = entry.request.postData?.text ?? "";
    const timeIt = async (pacing: "recorded" | "fast") => {
      const config = testConfig({
        backends: { echo: { type: "echo" }, tape: { type: "replay", cassette: file, pacing } },
        defaultBackend: "tape",
      });
      return withServer(config, async (url) => {
        const started = performance.now();
        const res = await fetch(`${url}/v1/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        expect(await res.text()).toBe(entry.response.content.text);
        return performance.now() - started;
      });
    };
    expect(await timeIt("recorded")).toBeGreaterThanOrEqual(390);
    expect(await timeIt("fast")).toBeLessThan(300);
  });
});
