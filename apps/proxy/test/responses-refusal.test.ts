/**
 * A Chat Completions upstream that refuses (`message.refusal`, streamed as `delta.refusal`),
 * asked through `/v1/responses` with the official `openai` SDK and the Vercel AI SDK: the
 * refusal arrives as a `refusal` content part (streamed as `response.refusal.*`), never as
 * answer text, streamed or not, and the two agree.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendJson, sendSse } from "./helpers/mock-upstream.js";
import { type ResponsesHarness, startResponsesHarness } from "./helpers/responses-harness.js";

const REFUSAL = ["I can't ", "help with that."];

let h: ResponsesHarness;
let client: OpenAI;

beforeAll(async () => {
  h = await startResponsesHarness({
    openai: (request, res) => {
      if (request.path !== "/v1/chat/completions") return sendJson(res, 404, {});
      const head = {
        id: "chatcmpl-r",
        object: "chat.completion.chunk",
        created: 1,
        model: "gpt-x",
      };
      if (request.body?.stream !== true) {
        return sendJson(res, 200, {
          ...head,
          object: "chat.completion",
          choices: [
            {
              index: 0,
              finish_reason: "stop",
              message: { role: "assistant", content: null, refusal: REFUSAL.join("") },
            },
          ],
          usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
        });
      }
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
        `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      void sendSse(res, [
        chunk({ role: "assistant", content: null, refusal: "" }),
        ...REFUSAL.map((refusal) => chunk({ refusal })),
        chunk({}, "stop"),
        `data: ${JSON.stringify({ ...head, choices: [], usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 } })}\n\n`,
        "data: [DONE]\n\n",
      ]);
    },
  });
  client = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "k", maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
});

describe("a Chat Completions refusal asked for on /v1/responses", () => {
  it("streams as response.refusal.* into a refusal part, with no output_text", async () => {
    const events: ResponseStreamEvent[] = [];
    const stream = client.responses.stream({ model: "openai-mock:gpt-x", input: "do it" });
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t.startsWith("response.refusal"))).toEqual([
      "response.refusal.delta",
      "response.refusal.delta",
      "response.refusal.done",
    ]);
    expect(types.some((t) => t.startsWith("response.output_text"))).toBe(false);
    expect(events.find((e) => e.type === "response.refusal.done")).toMatchObject({
      refusal: REFUSAL.join(""),
      content_index: 0,
    });
    expect(final.status).toBe("completed");
    expect(final.output_text).toBe("");
    expect(final.output).toMatchObject([
      { type: "message", content: [{ type: "refusal", refusal: REFUSAL.join("") }] },
    ]);
    expect(final.usage?.output_tokens).toBe(4);
  });

  it("answers unstreamed with the same refusal part", async () => {
    const response = await client.responses.create({ model: "openai-mock:gpt-x", input: "do it" });
    expect(response.output_text).toBe("");
    expect(response.output).toMatchObject([
      { type: "message", content: [{ type: "refusal", refusal: REFUSAL.join("") }] },
    ]);
  });
});

describe("the Vercel AI SDK's openai(model) provider and a refusal", () => {
  it("streams and generates without error, and reads the refusal as one (content-filter)", async () => {
    const provider = createOpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "k" });
    const errors: unknown[] = [];
    const streamed = streamText({
      model: provider("openai-mock:gpt-x"),
      prompt: "do it",
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    const parts: string[] = [];
    for await (const part of streamed.fullStream) parts.push(part.type);
    expect(errors).toEqual([]);
    expect(parts).not.toContain("error");
    // The SDK reads a refusal part as a content-filter stop (as from OpenAI itself); as
    // output_text it took it for an ordinary answer ("stop").
    expect(await streamed.finishReason).toBe("content-filter");
    const generated = await generateText({ model: provider("openai-mock:gpt-x"), prompt: "do it" });
    // It shows a refusal as text, with that finish reason.
    expect(generated.text).toBe(REFUSAL.join(""));
    expect(await streamed.text).toBe(REFUSAL.join(""));
    expect(generated.finishReason).toBe("content-filter");
  });
});
