/**
 * A base URL that carries its key in the query (Azure Functions' `?code=`, gateways): the
 * upstream path goes before the query, which is kept, on both HTTP backend types.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";
import { anthropicMockHandler, openAIMockHandler } from "./helpers/mock-behaviors.js";
import { type MockUpstream, startMockUpstream } from "./helpers/mock-upstream.js";

let openai: MockUpstream;
let anthropic: MockUpstream;
let server: RunningServer;
beforeAll(async () => {
  openai = await startMockUpstream(openAIMockHandler);
  anthropic = await startMockUpstream(anthropicMockHandler);
  server = await startServer({
    config: testConfig({
      backends: {
        oa: { type: "openai", baseUrl: `${openai.url}/v1?code=fn-key-1`, apiKey: "k" },
        an: { type: "anthropic", baseUrl: `${anthropic.url}/?code=fn-key-2`, apiKey: "k" },
      },
      routes: [
        { match: "gpt-*", backend: "oa" },
        { match: "claude-*", backend: "an" },
      ],
    }),
    version: "0.0.0-test",
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
});
afterAll(async () => {
  await server.close();
  await openai.close();
  await anthropic.close();
});

it("sends the path before the base URL's query, and keeps the query", async () => {
  const post = (path: string, model: string) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model, max_tokens: 8, messages: [{ role: "user", content: "hi" }] }),
    });
  expect((await post("/v1/chat/completions", "gpt-mock-1")).status).toBe(200);
  expect((await post("/v1/messages", "claude-mock")).status).toBe(200);
  // Translated too: an Anthropic caller to the OpenAI backend.
  expect((await post("/v1/messages", "gpt-mock-1")).status).toBe(200);
  expect(openai.requests.map((r) => r.path)).toEqual([
    "/v1/chat/completions?code=fn-key-1",
    "/v1/chat/completions?code=fn-key-1",
  ]);
  expect(anthropic.requests.map((r) => r.path)).toEqual(["/v1/messages?code=fn-key-2"]);
});
