import { request as httpRequest } from "node:http";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";
import {
  CANARY_ANTHROPIC_KEY,
  CANARY_OPENAI_KEY,
  type Harness,
  startHarness,
  waitFor,
} from "./helpers/harness.js";
import { anthropicMockHandler, openAIMockHandler } from "./helpers/mock-behaviors.js";
import { sendJson } from "./helpers/mock-upstream.js";

const PROXY_KEY = "proxy-client-key-e4d1c9";

/** A raw request with full control over headers (fetch forbids setting Host). */
function raw(options: {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  chunked?: boolean;
}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: options.port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) {
      if (options.chunked) {
        const body = Buffer.from(options.body);
        for (let i = 0; i < body.length; i += 1000) req.write(body.subarray(i, i + 1000));
      } else {
        req.write(options.body);
      }
    }
    req.end();
  });
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    apiKey: PROXY_KEY,
    allowedOrigins: ["http://localhost:5173"],
    maxBodyBytes: 4096,
  });
});
afterAll(async () => {
  await h.close();
});

const json = { "content-type": "application/json" };
const auth = { "x-api-key": PROXY_KEY };

describe("request guard", () => {
  it("refuses a hostile Host header (DNS rebinding) and accepts loopback names", async () => {
    const port = h.server.port;
    const evil = await raw({
      port,
      path: "/status",
      headers: { host: `evil.example:${port}`, ...auth },
    });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.text).error.code).toBe("forbidden_host");
    const wrongPort = await raw({
      port,
      path: "/status",
      headers: { host: "localhost:1", ...auth },
    });
    expect(wrongPort.status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const ok = await raw({ port, path: "/status", headers: { host, ...auth } });
      expect(ok.status).toBe(200);
    }
  });

  it("accepts the loopback address it is bound to as Host (e.g. 127.0.0.2)", async () => {
    const server = await startServer({
      config: testConfig({ host: "127.0.0.2", port: 0 }),
      version: "t",
    });
    try {
      const res = await fetch(`http://127.0.0.2:${server.port}/health`);
      expect(res.status).toBe(200);
      // fetch cannot set Host: a plain request with another loopback name is still refused.
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: "127.0.0.2",
            port: server.port,
            path: "/status",
            headers: { host: `127.0.0.3:${server.port}` },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(403);
    } finally {
      await server.close(100);
    }
  });

  it("refuses a browser Origin that is not allowed, serves an allowed one with CORS", async () => {
    const port = h.server.port;
    const evil = await raw({
      port,
      method: "POST",
      path: "/v1/messages",
      headers: { origin: "https://evil.example", ...json, ...auth },
      body: JSON.stringify({
        model: "echo:x",
        max_tokens: 5,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.text)).toEqual({
      type: "error",
      error: { type: "permission_error", message: expect.stringContaining("allowedOrigins") },
    });
    const preflight = await raw({
      port,
      method: "OPTIONS",
      path: "/v1/chat/completions",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-headers": "content-type, authorization",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    const allowed = await raw({
      port,
      method: "POST",
      path: "/v1/chat/completions",
      headers: { origin: "http://localhost:5173", ...json, authorization: `Bearer ${PROXY_KEY}` },
      body: JSON.stringify({ model: "echo:x", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
  });

  it("requires the proxy key: wrong or missing → 401 in each dialect; both header forms accepted", async () => {
    const wrongOpenAI = new OpenAI({
      baseURL: `${h.server.url}/v1`,
      apiKey: "wrong",
      maxRetries: 0,
    });
    const e1 = await wrongOpenAI.chat.completions
      .create({ model: "echo:x", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(OpenAI.AuthenticationError);
    const wrongAnthropic = new Anthropic({ baseURL: h.server.url, apiKey: "wrong", maxRetries: 0 });
    const e2 = await wrongAnthropic.messages
      .create({ model: "echo:x", max_tokens: 5, messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(Anthropic.AuthenticationError);
    const missing = await fetch(`${h.server.url}/status`);
    expect(missing.status).toBe(401);
    const okOpenAI = new OpenAI({
      baseURL: `${h.server.url}/v1`,
      apiKey: PROXY_KEY,
      maxRetries: 0,
    });
    const r1 = await okOpenAI.chat.completions.create({
      model: "echo:x",
      messages: [{ role: "user", content: "ok" }],
    });
    expect(r1.choices[0]?.message.content).toBe("ok");
    const okAnthropic = new Anthropic({ baseURL: h.server.url, apiKey: PROXY_KEY, maxRetries: 0 });
    const r2 = await okAnthropic.messages.create({
      model: "echo:x",
      max_tokens: 5,
      messages: [{ role: "user", content: "ok" }],
    });
    expect(r2.content[0]).toEqual({ type: "text", text: "ok" });
    expect((await fetch(`${h.server.url}/health`)).status).toBe(200);
  });

  it("never forwards the client's own credentials or cookies upstream", async () => {
    const openai = new OpenAI({
      baseURL: `${h.server.url}/v1`,
      apiKey: PROXY_KEY,
      maxRetries: 0,
      defaultHeaders: {
        cookie: "session=client-cookie-1",
        "x-api-key": PROXY_KEY,
        "x-custom-token": "tok-123",
      },
    });
    await openai.chat.completions.create({
      model: "gpt-mock-1",
      messages: [{ role: "user", content: "x" }],
    });
    await openai.chat.completions.create({
      model: "claude-mock-1",
      messages: [{ role: "user", content: "x" }],
    });
    const anthropic = new Anthropic({ baseURL: h.server.url, apiKey: PROXY_KEY, maxRetries: 0 });
    await anthropic.messages.create({
      model: "claude-mock-1",
      max_tokens: 5,
      messages: [{ role: "user", content: "x" }],
    });
    await anthropic.messages.create({
      model: "gpt-mock-1",
      max_tokens: 5,
      messages: [{ role: "user", content: "x" }],
    });
    const seen = [...h.openai.requests, ...h.anthropic.requests].map(
      (r) => JSON.stringify(r.headers) + r.raw,
    );
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const text of seen) {
      expect(text).not.toContain(PROXY_KEY);
      expect(text).not.toContain("client-cookie-1");
      expect(text).not.toContain("tok-123");
    }
  });
});

describe("input limits", () => {
  it("answers 413 for an oversized body (declared or chunked) without contacting the upstream", async () => {
    const before = h.openai.requests.length;
    const big = JSON.stringify({
      model: "gpt-mock-1",
      messages: [{ role: "user", content: "x".repeat(10_000) }],
    });
    const declared = await raw({
      port: h.server.port,
      method: "POST",
      path: "/v1/chat/completions",
      headers: {
        host: `127.0.0.1:${h.server.port}`,
        ...json,
        ...auth,
        "content-length": String(big.length),
      },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).error.code).toBe("payload_too_large");
    const chunked = await raw({
      port: h.server.port,
      method: "POST",
      path: "/v1/messages",
      headers: { host: `127.0.0.1:${h.server.port}`, ...json, ...auth },
      body: big,
      chunked: true,
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.text).error.type).toBe("request_too_large");
    expect(h.openai.requests.length).toBe(before);
  });

  it("requires application/json (415) and a model (400), changing nothing upstream", async () => {
    const before = h.openai.requests.length + h.anthropic.requests.length;
    const text = await fetch(`${h.server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "text/plain", ...auth },
      body: "{}",
    });
    expect(text.status).toBe(415);
    const noModel = await fetch(`${h.server.url}/v1/messages`, {
      method: "POST",
      headers: { ...json, ...auth },
      body: JSON.stringify({ messages: [] }),
    });
    expect(noModel.status).toBe(400);
    expect(((await noModel.json()) as { error: { message: string } }).error.message).toContain(
      "model",
    );
    const getOnly = await fetch(`${h.server.url}/v1/messages`, { headers: auth });
    expect(getOnly.status).toBe(405);
    expect(h.openai.requests.length + h.anthropic.requests.length).toBe(before);
  });
});

describe("binding", () => {
  it("refuses to start on a non-loopback host without an apiKey", async () => {
    await expect(
      startServer({ config: testConfig({ host: "0.0.0.0" }), version: "t" }),
    ).rejects.toMatchObject({ code: "insecure_bind", message: expect.stringContaining("apiKey") });
  });

  it("refuses to start on a non-loopback host with a weak apiKey, and says how to make one", async () => {
    for (const apiKey of ["k", "changeme", "sk-1234", "   "]) {
      await expect(
        startServer({ config: testConfig({ host: "0.0.0.0", apiKey }), version: "t" }),
      ).rejects.toMatchObject({
        code: "insecure_bind",
        message: expect.stringContaining("openssl rand -hex 32"),
      });
    }
  });

  it("starts on a non-loopback host when a strong apiKey is set", async () => {
    const key = "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c";
    const server = await startServer({
      config: testConfig({ host: "0.0.0.0", apiKey: key }),
      version: "t",
    });
    const res = await fetch(`http://127.0.0.1:${server.port}/status`, {
      headers: { "x-api-key": key },
    });
    expect(res.status).toBe(200);
    await server.close(0);
  });
});

describe("secrets", () => {
  it("keeps backend keys out of every response, status, request log and logger line", async () => {
    const outputs: string[] = [];
    const capture = async (res: Response) => {
      outputs.push(JSON.stringify([...res.headers]), await res.text());
    };
    // Upstreams that echo the key back in their error messages, as some real ones do.
    h.openai.handler = (r, res) =>
      sendJson(res, 401, {
        error: {
          message: `Incorrect API key provided: ${r.headers.authorization}`,
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      });
    h.anthropic.handler = (r, res) =>
      sendJson(res, 401, {
        type: "error",
        error: {
          type: "authentication_error",
          message: `bad key ${String(r.headers["x-api-key"])}`,
        },
      });
    try {
      for (const [path, model] of [
        ["/v1/chat/completions", "gpt-mock-1"],
        ["/v1/chat/completions", "claude-mock-1"],
        ["/v1/messages", "claude-mock-1"],
        ["/v1/messages", "gpt-mock-1"],
      ] as const) {
        for (const stream of [false, true]) {
          const res = await fetch(`${h.server.url}${path}`, {
            method: "POST",
            headers: { ...json, ...auth },
            body: JSON.stringify({
              model,
              stream,
              max_tokens: 5,
              messages: [{ role: "user", content: "x" }],
            }),
          });
          expect(res.status).toBe(401);
          await capture(res);
        }
      }
    } finally {
      h.openai.handler = openAIMockHandler;
      h.anthropic.handler = anthropicMockHandler;
    }
    for (const path of ["/status", "/requests?limit=500", "/v1/models"]) {
      await capture(await fetch(`${h.server.url}${path}`, { headers: auth }));
    }
    await waitFor(() => h.logs.length >= 8);
    const everything = [...outputs, ...h.logs.map((l) => JSON.stringify(l)), ...h.loggerLines].join(
      "\n",
    );
    expect(everything).toContain("Incorrect API key provided");
    expect(everything).toContain('"hasKey":true');
    expect(everything).not.toContain(CANARY_OPENAI_KEY);
    expect(everything).not.toContain(CANARY_ANTHROPIC_KEY);
    expect(everything).not.toContain(PROXY_KEY);
  });
});
