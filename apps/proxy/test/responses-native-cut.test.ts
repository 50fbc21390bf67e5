/**
 * A native Responses upstream (openai backend, `responses: "native"`) whose stream breaks off
 * after the answer started: the official `openai` SDK must see the stream end with
 * `response.failed` for the response it saw created, never a bare error object or a forged
 * `response.completed`. Both ways a stream breaks: the connection dies, or it ends cleanly
 * without a terminal event.
 */
import type { ServerResponse } from "node:http";
import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./helpers/harness.js";
import { sendJson } from "./helpers/mock-upstream.js";
import { type ResponsesHarness, startResponsesHarness } from "./helpers/responses-harness.js";

let h: ResponsesHarness;
let client: OpenAI;

function startedStream(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const response = {
    id: "resp_native_cut",
    object: "response",
    created_at: 1,
    status: "in_progress",
    model: "gpt-x",
    output: [],
    usage: null,
  };
  const ev = (e: Record<string, unknown>) =>
    res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  ev({ type: "response.created", response, sequence_number: 0 });
  ev({ type: "response.in_progress", response, sequence_number: 1 });
  const item = {
    type: "message",
    id: "msg_1",
    role: "assistant",
    status: "in_progress",
    content: [],
  };
  ev({ type: "response.output_item.added", output_index: 0, item, sequence_number: 2 });
  ev({
    type: "response.content_part.added",
    item_id: "msg_1",
    output_index: 0,
    content_index: 0,
    part: { type: "output_text", text: "", annotations: [] },
    sequence_number: 3,
  });
  ev({
    type: "response.output_text.delta",
    item_id: "msg_1",
    output_index: 0,
    content_index: 0,
    delta: "Half an ans",
    logprobs: [],
    sequence_number: 4,
  });
}

beforeAll(async () => {
  h = await startResponsesHarness({
    openai: (request, res) => {
      if (request.path !== "/v1/responses") return sendJson(res, 404, {});
      if (JSON.stringify(request.body?.input).includes("early")) {
        // Headers and a comment, then nothing: the stream breaks before any event.
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(": hi\n\n");
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      }
      startedStream(res);
      const input = JSON.stringify(request.body?.input);
      // Give the proxy time to relay what was sent, then break off.
      setTimeout(() => (input.includes("die") ? res.socket?.destroy() : res.end()), 50);
    },
  });
  client = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "k", maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
});

describe.each(["die", "stop"])("a native Responses stream that breaks off (%s)", (input) => {
  it("ends with response.failed for the created response, never completed", async () => {
    const events: ResponseStreamEvent[] = [];
    const stream = client.responses.stream({ model: "openai-native:gpt-x", input });
    const error = await (async () => {
      for await (const event of stream) events.push(event);
    })().catch((e: unknown) => e);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 5)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
    ]);
    expect(types.at(-1)).toBe("response.failed");
    expect(types).not.toContain("response.completed");
    const failed = events.at(-1) as Extract<ResponseStreamEvent, { type: "response.failed" }>;
    expect(failed.response.id).toBe("resp_native_cut");
    expect(failed.response.status).toBe("failed");
    expect(failed.response.error?.message).toMatch(/incomplete/);
    expect(failed.sequence_number).toBe(5);
    // The SDK raises for a failed response, as it would against OpenAI itself; no bare error.
    expect(String(error)).not.toMatch(/^Error: 4\d\d|5\d\d/);
    await waitFor(() => h.logs.some((l) => l.path === "/v1/responses" && l.error !== undefined));
  });
});

describe("a native Responses stream that breaks off before its first event", () => {
  it("tells the SDK of a response created and failed, so it ends as failed", async () => {
    const events: ResponseStreamEvent[] = [];
    const stream = client.responses.stream({ model: "openai-native:gpt-x", input: "early" });
    const error = await (async () => {
      for await (const event of stream) events.push(event);
    })().catch((e: unknown) => e);
    expect(events.map((e) => e.type)).toEqual(["response.created", "response.failed"]);
    const failed = events.at(-1) as Extract<ResponseStreamEvent, { type: "response.failed" }>;
    expect(failed.response.id).toBe(
      events[0]?.type === "response.created" && events[0].response.id,
    );
    expect(failed.response.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(failed.sequence_number).toBe(1);
    expect(failed.response.error?.message).toMatch(/incomplete/);
    // Not the SDK's "expected 'response.created' event" complaint.
    expect(String(error)).not.toMatch(/snapshot|response\.created/);
  });
});
