/**
 * `POST /v1/responses/input_tokens` (OpenAI's "count input tokens" for a Responses body)
 * through the official `openai` SDK's `client.responses.inputTokens.count`, on every backend
 * kind: an Anthropic upstream counts with its own `count_tokens` (the body translated), a
 * native Responses upstream with its own `/v1/responses/input_tokens`, everything else
 * estimates locally. Upstreams are local mocks; the CLI backends' binaries must never run.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { estimateResponsesInputTokens, type ResponsesRequest } from "@switchyard/openai-compat";
import OpenAI from "openai";
import type { InputTokenCountParams } from "openai/resources/responses/input-tokens";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY_ANTHROPIC_KEY, CANARY_OPENAI_KEY, waitFor } from "./helpers/harness.js";
import { anthropicMockHandler, PNG } from "./helpers/mock-behaviors.js";
import { MOCK_INPUT_TOKENS } from "./helpers/mock-responses.js";
import type { MockUpstream } from "./helpers/mock-upstream.js";
import {
  type ResponsesHarness,
  startResponsesHarness,
  WEATHER_TOOL,
} from "./helpers/responses-harness.js";

let h: ResponsesHarness;
let openai: MockUpstream;
let anthropic: MockUpstream;
let client: OpenAI;
let home: string;
let cliLog: string;

/** A stand-in CLI that records every invocation and fails: a token count must not run it. */
const fakeCli = (log: string) => `#!/bin/sh
echo "$@" >> ${JSON.stringify(log)}
exit 3
`;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "switchyard-input-tokens-"));
  cliLog = join(home, "cli-invocations.log");
  writeFileSync(cliLog, "");
  for (const name of ["claude", "codex"]) {
    writeFileSync(join(home, name), fakeCli(cliLog));
    chmodSync(join(home, name), 0o755);
  }
  h = await startResponsesHarness(
    {},
    {
      home,
      configPath: join(home, "config.json"),
      backends: {
        // Responses-only for Codex models alone: another model there is translated.
        "codex-only": {
          type: "openai",
          baseUrl: "http://127.0.0.1:9/v1",
          apiKey: CANARY_OPENAI_KEY,
          responsesOnly: ["*-codex"],
        },
        claude: { type: "claude-code", binary: join(home, "claude"), cwd: home },
        codex: { type: "codex", binary: join(home, "codex"), cwd: home },
      },
    },
  );
  ({ openai, anthropic } = h);
  client = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "client-key", maxRetries: 0 });
});

afterAll(async () => {
  await h?.close();
  rmSync(home, { recursive: true, force: true });
});

const weather = WEATHER_TOOL;

/** A Codex-like conversation: instructions, an image, a tool call and its output, tools. */
const conversation = (model: string): InputTokenCountParams => ({
  model,
  instructions: "You are a careful assistant.",
  input: [
    {
      role: "user",
      content: [
        { type: "input_text", text: "What is the weather in Paris? Here is a photo." },
        { type: "input_image", image_url: `data:image/png;base64,${PNG}`, detail: "auto" },
      ],
    },
    {
      type: "function_call",
      call_id: "call_1",
      name: "get_weather",
      arguments: '{"city":"Paris"}',
    },
    { type: "function_call_output", call_id: "call_1", output: "sunny, 24 degrees" },
  ],
  tools: [weather],
});

const upstreamCalls = () => openai.requests.length + anthropic.requests.length;

describe("POST /v1/responses/input_tokens with the official openai SDK", () => {
  it("anthropic backend: the translated body goes to the upstream's count_tokens", async () => {
    const count = await client.responses.inputTokens.count(conversation("claude-sonnet-test"));
    expect(count).toEqual({ object: "response.input_tokens", input_tokens: 42 });
    const sent = anthropic.requests.at(-1);
    expect(sent?.path).toBe("/v1/messages/count_tokens");
    expect(sent?.headers["x-api-key"]).toBe(CANARY_ANTHROPIC_KEY);
    // Only what Anthropic's count_tokens takes: no max_tokens, no stream.
    expect(Object.keys(sent?.body ?? {}).sort()).toEqual(["messages", "model", "system", "tools"]);
    expect(sent?.body?.model).toBe("claude-sonnet-test");
    expect(JSON.stringify(sent?.body?.system)).toContain("You are a careful assistant.");
    const messages = sent?.body?.messages as Array<{ role: string; content: unknown }>;
    const blocks = messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    expect(blocks.map((b) => (b as { type: string }).type)).toEqual([
      "text",
      "image",
      "tool_use",
      "tool_result",
    ]);
    const use = blocks[2] as { id: string };
    expect(blocks[3]).toMatchObject({ type: "tool_result", tool_use_id: use.id });
    expect(sent?.body?.tools).toEqual([
      { name: "get_weather", description: "Weather for a city", input_schema: weather.parameters },
    ]);
  });

  it("anthropic backend: hosted tools are left out of the count and reported", async () => {
    const { data, response } = await client.responses.inputTokens
      .count({ model: "claude-sonnet-test", input: "hi", tools: [weather, { type: "web_search" }] })
      .withResponse();
    expect(data.input_tokens).toBe(42);
    expect(response.headers.get("x-switchyard-omitted")).toBe("tool:web_search");
    expect(anthropic.requests.at(-1)?.body?.tools).toHaveLength(1);
  });

  it.each([
    ["openai native", "openai-native:gpt-x", "gpt-x"],
    ["openai responsesOnly model", "responses-only:gpt-5-codex", "gpt-5-codex"],
  ])("%s: the upstream's own /v1/responses/input_tokens counts", async (_kind, model, sent) => {
    const count = await client.responses.inputTokens.count(conversation(model));
    expect(count).toEqual({ object: "response.input_tokens", input_tokens: MOCK_INPUT_TOKENS });
    const call = openai.requests.at(-1);
    expect(call?.path).toBe("/v1/responses/input_tokens");
    expect(call?.headers.authorization).toBe(`Bearer ${CANARY_OPENAI_KEY}`);
    expect(call?.body).toEqual({ ...conversation(sent), model: sent });
  });

  it.each([
    ["openai translated to Chat Completions", "openai-mock:gpt-x"],
    ["openai, a model that is not Responses-only", "codex-only:gpt-4o"],
    ["claude-code", "claude:sonnet"],
    ["codex", "codex:gpt-5"],
  ])("%s: estimated locally, no upstream call and no CLI run", async (_kind, model) => {
    const before = upstreamCalls();
    const count = await client.responses.inputTokens.count(conversation(model));
    const expected = estimateResponsesInputTokens(conversation(model) as ResponsesRequest);
    expect(count).toEqual(expected);
    expect(count.input_tokens).toBeGreaterThan(1600); // the image alone is estimated at 1600
    expect(upstreamCalls()).toBe(before);
    expect(readFileSync(cliLog, "utf8")).not.toMatch(/(^|\s)(-p|exec)(\s|$)/m);
  });

  it("echo: counts what its /v1/responses answer reports as input tokens", async () => {
    const body = { model: "echo:anything", instructions: "Be brief.", input: "count me please" };
    const count = await client.responses.inputTokens.count(body);
    const response = await client.responses.create(body);
    expect(count).toEqual({
      object: "response.input_tokens",
      input_tokens: response.usage?.input_tokens,
    });
  });

  it("is logged like count_tokens: the route and the count, no output, no stream", async () => {
    await client.responses.inputTokens.count({ model: "openai-mock:gpt-log", input: "log me" });
    await waitFor(() =>
      h.logs.some(
        (l) => l.path === "/v1/responses/input_tokens" && l.model === "openai-mock:gpt-log",
      ),
    );
    const entry = h.logs.findLast((l) => l.path === "/v1/responses/input_tokens");
    expect(entry).toMatchObject({
      status: 200,
      backend: "openai-mock",
      route: "prefix",
      upstreamModel: "gpt-log",
      stream: false,
    });
    expect(entry?.inputTokens).toBeGreaterThan(0);
    expect(entry?.outputTokens).toBeUndefined();
  });

  it("never streams, even when the body asks to", async () => {
    const res = await fetch(`${h.server.url}/v1/responses/input_tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "echo:x", input: "hi", stream: true }),
    });
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ object: "response.input_tokens" });
  });
});

describe("refusals in the OpenAI shape", () => {
  it("refuses previous_response_id where switchyard would translate (it is stateless)", async () => {
    const before = upstreamCalls();
    const error = await client.responses.inputTokens
      .count({ model: "claude-sonnet-test", input: "hi", previous_response_id: "resp_1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as { param?: string }).param).toBe("previous_response_id");
    expect((error as Error).message).toMatch(/stateless/);
    expect(upstreamCalls()).toBe(before);
  });

  it("relays an upstream's error status in the OpenAI shape", async () => {
    anthropic.handler = (_request, res) => {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "0" });
      res.end(
        JSON.stringify({
          type: "error",
          error: { type: "rate_limit_error", message: "slow down" },
        }),
      );
    };
    try {
      const error = await client.responses.inputTokens
        .count({ model: "claude-sonnet-test", input: "hi" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect((error as Error).message).toContain("slow down");
      expect(JSON.stringify(error)).not.toContain(CANARY_ANTHROPIC_KEY);
    } finally {
      anthropic.handler = anthropicMockHandler;
    }
  });

  it("answers an upstream count without a number with a 502, echoing nothing of it", async () => {
    anthropic.handler = (_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ input_tokens: "lots", secret: "upstream-internal" }));
    };
    try {
      const res = await fetch(`${h.server.url}/v1/responses/input_tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-sonnet-test", input: "hi" }),
      });
      expect(res.status).toBe(502);
      const text = await res.text();
      expect(JSON.parse(text).error.type).toBeTypeOf("string");
      expect(text).not.toContain("upstream-internal");
    } finally {
      anthropic.handler = anthropicMockHandler;
    }
  });
});
