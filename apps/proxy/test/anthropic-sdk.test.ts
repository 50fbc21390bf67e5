import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CANARY_ANTHROPIC_KEY,
  CANARY_OPENAI_KEY,
  type Harness,
  startHarness,
  waitFor,
} from "./helpers/harness.js";
import { anthropicMockHandler, openAIMockHandler, PNG } from "./helpers/mock-behaviors.js";
import { sendJson } from "./helpers/mock-upstream.js";

const weatherTool: Anthropic.Tool = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

let h: Harness;
let client: Anthropic;

beforeAll(async () => {
  h = await startHarness();
  client = new Anthropic({ baseURL: h.server.url, apiKey: "client-own-key-456", maxRetries: 0 });
});
afterAll(async () => {
  await h.close();
});

describe("Anthropic client → openai backend (translated)", () => {
  it("answers a message with system prompt and usage, backend key swapped in", async () => {
    const message = await client.messages.create({
      model: "gpt-4o-test",
      max_tokens: 100,
      system: "Be brief.",
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(message.content).toEqual([{ type: "text", text: "mock-openai says: hello there" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.input_tokens).toBe(17);
    expect(message.usage.output_tokens).toBe(7);
    const upstream = h.openai.requests.at(-1);
    expect(upstream?.path).toBe("/v1/chat/completions");
    expect(upstream?.headers.authorization).toBe(`Bearer ${CANARY_OPENAI_KEY}`);
    expect(upstream?.headers["x-api-key"]).toBeUndefined();
    expect(upstream?.body?.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hello there" },
    ]);
    expect(upstream?.body?.max_tokens).toBe(100);
  });

  it("streams text events and final usage", async () => {
    const stream = client.messages.stream({
      model: "openai-mock:any-model",
      max_tokens: 50,
      messages: [{ role: "user", content: "stream this now" }],
    });
    const deltas: string[] = [];
    stream.on("text", (t) => deltas.push(t));
    const final = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join("")).toBe("mock-openai says: stream this now");
    expect(final.usage.output_tokens).toBe(7);
    expect(final.stop_reason).toBe("end_turn");
    const sent = h.openai.requests.at(-1)?.body;
    expect(sent?.model).toBe("any-model");
    expect(sent?.stream_options).toEqual({ include_usage: true });
    await waitFor(() =>
      h.logs.some((l) => l.upstreamModel === "any-model" && l.outputTokens === 7),
    );
  });

  it("makes a tool call (streamed and not) and sends tool results back", async () => {
    const first = await client.messages.create({
      model: "gpt-tools",
      max_tokens: 100,
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: [weatherTool],
    });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((b) => b.type === "tool_use");
    expect(use?.type === "tool_use" && use.input).toEqual({ city: "Paris" });
    // Not streamed: no stream keys upstream (the request has tools, so they are not the last
    // keys of the converted request: unset, not deleted, they must still be left out).
    const unstreamed = h.openai.requests.at(-1)?.body ?? {};
    expect(Object.keys(unstreamed)).toEqual(expect.arrayContaining(["model", "tools"]));
    expect(Object.keys(unstreamed)).not.toContain("stream");
    expect(Object.keys(unstreamed)).not.toContain("stream_options");

    const streamed = await client.messages
      .stream({
        model: "gpt-tools",
        max_tokens: 100,
        messages: [{ role: "user", content: "weather?" }],
        tools: [weatherTool],
      })
      .finalMessage();
    const streamedUse = streamed.content.find((b) => b.type === "tool_use");
    expect(streamedUse?.type === "tool_use" && streamedUse.input).toEqual({ city: "Paris" });
    expect(streamed.stop_reason).toBe("tool_use");

    const second = await client.messages.create({
      model: "gpt-tools",
      max_tokens: 100,
      tools: [weatherTool],
      messages: [
        { role: "user", content: "weather in Paris?" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: use?.type === "tool_use" ? use.id : "",
              content: "rainy",
            },
          ],
        },
      ],
    });
    expect(second.content[0]).toEqual({ type: "text", text: "mock-openai got tool result: rainy" });
    const sent = h.openai.requests.at(-1)?.body?.messages as Array<{ role: string }>;
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
  });

  it("translates images and stop sequences", async () => {
    const message = await client.messages.create({
      model: "gpt-vision",
      max_tokens: 100,
      stop_sequences: ["HALT"],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "one HALT two" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
          ],
        },
      ],
    });
    expect(message.content[0]).toEqual({ type: "text", text: "mock-openai says: one " });
    const sent = h.openai.requests.at(-1)?.body;
    expect(sent?.stop).toEqual(["HALT"]);
    expect(JSON.stringify(sent?.messages)).toContain("data:image/png;base64,");
  });

  it("estimates count_tokens locally for an openai backend", async () => {
    const before = h.openai.requests.length;
    const count = await client.messages.countTokens({
      model: "gpt-mock-1",
      messages: [{ role: "user", content: "count these words please" }],
    });
    expect(count.input_tokens).toBeGreaterThan(3);
    expect(h.openai.requests.length).toBe(before);
  });

  it("raises RateLimitError (429 + retry-after) and InternalServerError (500) in Anthropic form", async () => {
    h.openai.handler = (_r, res) =>
      sendJson(
        res,
        429,
        { error: { message: "too many", type: "requests", code: "rate_limit_exceeded" } },
        { "retry-after": "11" },
      );
    try {
      const limited = await client.messages
        .create({ model: "gpt-x", max_tokens: 5, messages: [{ role: "user", content: "x" }] })
        .catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
      const apiError = limited as InstanceType<typeof Anthropic.APIError>;
      expect(apiError.status).toBe(429);
      expect(apiError.headers?.get("retry-after")).toBe("11");
      expect((apiError.error as { error: { type: string } }).error.type).toBe("rate_limit_error");

      h.openai.handler = (_r, res) =>
        sendJson(res, 500, { error: { message: "kaput", type: "server_error" } });
      const failed = await client.messages
        .create({ model: "gpt-x", max_tokens: 5, messages: [{ role: "user", content: "x" }] })
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(Anthropic.InternalServerError);
    } finally {
      h.openai.handler = openAIMockHandler;
    }
  });

  it("says a context-window overflow as Anthropic does, so Claude Code can compact", async () => {
    h.openai.handler = (_r, res) =>
      sendJson(res, 400, {
        error: {
          message:
            "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        },
      });
    try {
      const error = await client.messages
        .create({ model: "gpt-x", max_tokens: 5, messages: [{ role: "user", content: "x" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      const body = (error as InstanceType<typeof Anthropic.APIError>).error as {
        error: { type: string; message: string };
      };
      expect(body.error.type).toBe("invalid_request_error");
      expect(body.error.message).toMatch(/^prompt is too long: 9000 tokens > 8192 maximum/);
    } finally {
      h.openai.handler = openAIMockHandler;
    }
  });

  it("answers a clear 502 when a stream request gets a non-stream 200", async () => {
    h.openai.handler = (_r, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<html>captive portal</html>");
    };
    try {
      const error = await client.messages
        .stream({ model: "gpt-x", max_tokens: 5, messages: [{ role: "user", content: "x" }] })
        .finalMessage()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.InternalServerError);
      expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(502);
      expect((error as Error).message).toContain(
        "upstream openai-mock answered a streaming request with text/html, not an event stream",
      );
      expect((error as Error).message).not.toContain("captive");
    } finally {
      h.openai.handler = openAIMockHandler;
    }
  });

  it("ends a translated stream with an Anthropic error event when the upstream dies mid-stream", async () => {
    h.openai.handler = (_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { role: "assistant", content: "partial" }, finish_reason: null }] })}\n\n`,
      );
      setTimeout(() => res.destroy(), 20);
    };
    try {
      const stream = client.messages.stream({
        model: "gpt-x",
        max_tokens: 5,
        messages: [{ role: "user", content: "x" }],
      });
      const error = await stream.finalMessage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect((error as Error).message).toMatch(/upstream openai-mock/);
    } finally {
      h.openai.handler = openAIMockHandler;
    }
  });
});

describe("Anthropic client → anthropic backend (pass-through)", () => {
  it("passes body bytes through, forwards version and beta headers, swaps the key", async () => {
    const message = await client.messages.create(
      {
        model: "claude-mock-1",
        max_tokens: 64,
        messages: [{ role: "user", content: "native call" }],
      },
      {
        headers: {
          "anthropic-beta": "tools-2024-04-04,prompt-caching-2024-07-31",
          "anthropic-version": "2023-06-01",
        },
      },
    );
    expect(message.content).toEqual([{ type: "text", text: "mock-anthropic says: native call" }]);
    const upstream = h.anthropic.requests.at(-1);
    expect(upstream?.headers["x-api-key"]).toBe(CANARY_ANTHROPIC_KEY);
    expect(upstream?.headers.authorization).toBeUndefined();
    expect(upstream?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(upstream?.headers["anthropic-beta"]).toBe("tools-2024-04-04,prompt-caching-2024-07-31");
    // Byte-for-byte: odd whitespace and key order survive when the model needs no rewrite.
    const raw =
      '{ "max_tokens":8 ,"model" : "claude-mock-1","messages":[{"role":"user","content":"bytes"}]  }';
    const response = await fetch(`${h.server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: raw,
    });
    expect(response.status).toBe(200);
    expect(h.anthropic.requests.at(-1)?.raw).toBe(raw);
  });

  it("streams the upstream bytes untouched, tool calls included", async () => {
    const final = await client.messages
      .stream({
        model: "anthropic-mock:claude-mock-1",
        max_tokens: 64,
        messages: [{ role: "user", content: "weather now" }],
        tools: [weatherTool],
      })
      .finalMessage();
    const use = final.content.find((b) => b.type === "tool_use");
    expect(use?.type === "tool_use" && use.input).toEqual({ city: "Paris" });
    expect(final.usage.output_tokens).toBe(9);
    expect(h.anthropic.requests.at(-1)?.body?.model).toBe("claude-mock-1");
    await waitFor(() =>
      h.logs.some(
        (l) =>
          l.stream &&
          l.backend === "anthropic-mock" &&
          l.inputTokens === 30 &&
          l.cacheReadTokens === 5,
      ),
    );
  });

  it("forwards count_tokens upstream", async () => {
    const count = await client.messages.countTokens({
      model: "claude-mock-1",
      messages: [{ role: "user", content: "count" }],
    });
    expect(count.input_tokens).toBe(42);
    expect(h.anthropic.requests.at(-1)?.path).toBe("/v1/messages/count_tokens");
  });

  it("keeps the upstream's error type and status (529 overloaded)", async () => {
    h.anthropic.handler = (_r, res) =>
      sendJson(res, 529, { type: "error", error: { type: "overloaded_error", message: "busy" } });
    try {
      const error = await client.messages
        .create({
          model: "claude-mock-1",
          max_tokens: 5,
          messages: [{ role: "user", content: "x" }],
        })
        .catch((e: unknown) => e);
      const apiError = error as InstanceType<typeof Anthropic.APIError>;
      expect(apiError.status).toBe(529);
      expect((apiError.error as { error: { type: string } }).error.type).toBe("overloaded_error");
    } finally {
      h.anthropic.handler = anthropicMockHandler;
    }
  });

  it("answers malformed JSON with an Anthropic 400", async () => {
    const response = await fetch(`${h.server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "request body is not valid JSON" },
    });
  });

  it("lists models in Anthropic shape when anthropic-version is sent", async () => {
    const page = await client.models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "anthropic-mock:claude-mock-1",
        "openai-mock:gpt-mock-1",
        "echo:test",
      ]),
    );
    expect(page.data[0]?.type).toBe("model");
  });
});
