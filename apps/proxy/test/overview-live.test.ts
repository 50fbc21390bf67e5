import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { OverviewBody } from "../src/server/traffic-metrics.js";
import { type Harness, startHarness } from "./helpers/harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const chat = (url: string, model: string) =>
  new OpenAI({ baseURL: `${url}/v1`, apiKey: "x", maxRetries: 0 }).chat.completions.create({
    model,
    messages: [{ role: "user", content: "hi" }],
  });

/** Reads SSE frames from `GET /events?requests=1` until `count` request events arrived. */
async function requestEvents(url: string, count: number, send: () => Promise<void>) {
  const controller = new AbortController();
  const res = await fetch(`${url}/events?requests=1`, { signal: controller.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const first = await reader.read(); // the opening comment: subscribed
  text += decoder.decode(first.value);
  await send();
  const deadline = Date.now() + 10_000;
  const events: Array<{ type: string; request: { model?: string; backend?: string } }> = [];
  while (events.length < count && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const frames = text.split("\n\n");
    text = frames.pop() ?? "";
    for (const frame of frames) {
      const data = frame.split("\n").find((l) => l.startsWith("data: "));
      if (frame.startsWith("event: request") && data) events.push(JSON.parse(data.slice(6)));
    }
  }
  controller.abort();
  return events;
}

describe("GET /overview and request events", () => {
  it("counts API calls (not admin polls) and streams each finished call on /events?requests=1", async () => {
    h = await startHarness();
    const url = h.server.url;
    const events = await requestEvents(url, 2, async () => {
      await chat(url, "gpt-4o");
      await fetch(`${url}/status`);
      await chat(url, "echo:whatever");
    });
    expect(events.map((e) => [e.type, e.request.backend])).toEqual([
      ["request", "openai-mock"],
      ["request", "echo"],
    ]);
    const res = await fetch(`${url}/overview?window=15m`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as OverviewBody;
    expect(body.totals.requests).toBe(2);
    expect(body.byBackend.map((g) => g.name).sort()).toEqual(["echo", "openai-mock"]);
    expect(body.totals.p50Ms).toBeGreaterThan(0);
    expect(body.series.t).toHaveLength(90);

    const bad = await fetch(`${url}/overview?window=7d`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      "window",
    );
  });

  it("streams no request events to a client that did not ask for them", async () => {
    h = await startHarness();
    const url = h.server.url;
    const controller = new AbortController();
    const res = await fetch(`${url}/events`, { signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await chat(url, "gpt-4o");
    // The guard's `spend` event may come; a `request` event must not.
    let text = "";
    const until = Date.now() + 500;
    while (Date.now() < until) {
      const next = await Promise.race([
        reader.read(),
        new Promise<undefined>((r) => setTimeout(r, until - Date.now())),
      ]);
      if (next === undefined || next.done) break;
      text += new TextDecoder().decode(next.value);
    }
    controller.abort();
    expect(text).not.toContain("event: request");
  });
});
