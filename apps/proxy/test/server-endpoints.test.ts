import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, waitFor } from "./helpers/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ defaultBackend: "echo" });
});
afterAll(async () => {
  await h.close();
});

const get = async (path: string) => {
  const res = await fetch(`${h.server.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("admin endpoints", () => {
  it("GET /health", async () => {
    expect(await get("/health")).toEqual({
      status: 200,
      body: { status: "ok", version: "0.0.0-test" },
    });
  });

  it("GET /status shows backends redacted, routes, counts and in-flight", async () => {
    await fetch(`${h.server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "whatever", messages: [{ role: "user", content: "x" }] }),
    });
    await waitFor(() => h.logs.length > 0);
    const { status, body } = await get("/status");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      version: "0.0.0-test",
      defaultBackend: "echo",
      inFlight: 0,
      backends: {
        echo: { type: "echo" },
        "openai-mock": { type: "openai", hasKey: true, baseUrl: `${h.openai.url}/v1` },
        "anthropic-mock": { type: "anthropic", hasKey: true },
      },
      routes: h.config.routes,
    });
    expect((body.requests as { byBackend: Record<string, unknown> }).byBackend.echo).toEqual({
      "200": 1,
    });
    expect(typeof body.uptimeMs).toBe("number");
  });

  it("GET /requests returns the last N log entries with the route reason", async () => {
    const one = (await get("/requests?limit=1")).body.requests as Array<Record<string, unknown>>;
    expect(one).toHaveLength(1);
    // Admin polls (the `GET /status` above, `/requests` itself) are not logged: the last entry
    // is the last API call (admin-polls-log.test.ts shows both sides).
    expect(one[0]).toMatchObject({ method: "POST", path: "/v1/chat/completions", status: 200 });
    const all = (await get("/requests?limit=500")).body.requests as Array<Record<string, unknown>>;
    expect(all.find((e) => e.path === "/v1/chat/completions")).toMatchObject({
      route: "default",
      backend: "echo",
      model: "whatever",
      upstreamModel: "whatever",
      status: 200,
    });
  });

  it("unknown paths 404", async () => {
    expect((await get("/nope")).status).toBe(404);
  });

  it("a known path with the wrong method is a 405 naming the allowed ones; HEAD works", async () => {
    const call = (method: string, path: string) =>
      fetch(`${h.server.url}${path}`, { method, headers: { "anthropic-version": "2023-06-01" } });
    const getMessages = await call("GET", "/v1/messages");
    expect([getMessages.status, getMessages.headers.get("allow")]).toEqual([405, "POST"]);
    // In the caller's dialect: Anthropic on /v1/messages.
    expect(await getMessages.json()).toMatchObject({
      type: "error",
      error: { type: expect.any(String) },
    });
    const getChat = await call("GET", "/v1/chat/completions");
    expect([getChat.status, getChat.headers.get("allow")]).toEqual([405, "POST"]);
    expect(await getChat.json()).toMatchObject({
      error: { message: expect.stringContaining("POST") },
    });
    for (const [method, path, allow] of [
      ["POST", "/status", "GET, HEAD"],
      ["PUT", "/health", "GET, HEAD"],
      ["GET", "/admin/resume", "POST"],
      ["POST", "/events", "GET"],
    ]) {
      const res = await call(method as string, path as string);
      expect([res.status, res.headers.get("allow")], `${method} ${path}`).toEqual([405, allow]);
    }
    const head = await call("HEAD", "/health");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toContain("application/json");
    expect(await head.text()).toBe("");
  });
});

describe("echo backend through the SDKs", () => {
  it("streams in both protocols", async () => {
    const anthropic = new Anthropic({ baseURL: h.server.url, apiKey: "x", maxRetries: 0 });
    const texts: string[] = [];
    const final = await anthropic.messages
      .stream({
        model: "echo:m",
        max_tokens: 10,
        messages: [{ role: "user", content: "one two three" }],
      })
      .on("text", (t) => texts.push(t))
      .finalMessage();
    expect(texts).toEqual(["one ", "two ", "three"]);
    expect(final.stop_reason).toBe("end_turn");

    const openai = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "x", maxRetries: 0 });
    const stream = await openai.chat.completions.create({
      model: "echo:m",
      messages: [{ role: "user", content: "four five" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("four five");
  });

  it("streams an echoed tool call the Anthropic SDK assembles", async () => {
    const anthropic = new Anthropic({ baseURL: h.server.url, apiKey: "x", maxRetries: 0 });
    const final = await anthropic.messages
      .stream({
        model: "echo:m",
        max_tokens: 10,
        tools: [{ name: "add", input_schema: { type: "object" } }],
        messages: [{ role: "user", content: 'call add {"a":1,"b":2}' }],
      })
      .finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content[0]).toMatchObject({
      type: "tool_use",
      name: "add",
      input: { a: 1, b: 2 },
    });
  });
});
