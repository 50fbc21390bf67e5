import { describe, expect, it } from "vitest";
import { agentBody, anthropicCapture } from "../test/har-fixture.js";
import { buildEntry } from "./entry.js";
import { CaptureError } from "./errors.js";
import type { HarLog } from "./har.js";
import { extractTemplate, templateFromRequest } from "./template.js";

describe("extractTemplate", () => {
  it("takes system prompt, tools, parameters, headers and betas with token estimates", () => {
    const har = anthropicCapture(agentBody(), {
      "anthropic-beta": "claude-code-20250219, interleaved-thinking-2025-05-14",
      "x-api-key": "<scrubbed:api-key#1>",
      "x-claude-code-session-id": "7b888b48-bc7f-4c18-8546-b8d391fe66c2",
      "content-length": "123",
    });
    har.log._switchyard = { tool: "claude", toolVersion: "2.1.7" };
    const t = extractTemplate(har);
    expect(t.tool).toBe("claude");
    expect(t.dialect).toBe("anthropic");
    expect(t.system.text).toBe("You are an agent.\n\nBe brief.\nUse tools.");
    expect(t.system.blocks).toHaveLength(2);
    expect(t.tools.map((x) => x.name)).toEqual(["Read", "Bash"]);
    expect(t.tools[0]?.inputSchema).toMatchObject({ required: ["file_path"] });
    expect(t.tools[0]?.tokens).toBeGreaterThan(10);
    expect(t.parameters).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 32000,
      metadata: { user_id: "<volatile>" },
      stream: true,
    });
    expect(t.betas).toEqual(["claude-code-20250219", "interleaved-thinking-2025-05-14"]);
    expect(t.headers["x-claude-code-session-id"]).toBe("<uuid>");
    expect(t.headers["x-api-key"]).toBe("<credential>");
    expect(t.headers["content-length"]).toBeUndefined();
    expect(t.tokens.system).toBe(10);
    expect(t.tokens.total).toBe(t.tokens.system + t.tokens.tools + t.tokens.messages);
    expect(t.tokens.total).toBeGreaterThan(t.tokens.system + t.tokens.tools);
  });

  it("picks the request with the most tools over side requests", () => {
    const main = anthropicCapture(agentBody());
    const side = anthropicCapture({
      model: "haiku",
      max_tokens: 5,
      system: "Write a title",
      messages: [],
    });
    const har: HarLog = {
      log: { ...main.log, entries: [...side.log.entries, ...main.log.entries] },
    };
    const t = extractTemplate(har);
    expect(t.requests).toEqual({ total: 2, chosen: 1 });
    expect(t.tools).toHaveLength(2);
  });

  it("reads OpenAI Chat Completions: system messages and function tools", () => {
    const t = templateFromRequest("/v1/chat/completions", {
      model: "gpt-x",
      temperature: 0,
      messages: [
        { role: "system", content: "Sys A" },
        { role: "developer", content: [{ type: "text", text: "Dev B" }] },
        { role: "user", content: "hi" },
      ],
      tools: [
        {
          type: "function",
          function: { name: "f", description: "d", parameters: { type: "object" }, strict: true },
        },
      ],
    });
    expect(t.dialect).toBe("openai");
    expect(t.system.text).toBe("Sys A\n\nDev B");
    expect(t.tools).toEqual([
      expect.objectContaining({
        name: "f",
        description: "d",
        inputSchema: { type: "object" },
        extra: { strict: true, type: "function" },
      }),
    ]);
    expect(t.parameters).toEqual({ model: "gpt-x", temperature: 0 });
  });

  it("refuses a capture without an API request", () => {
    const entry = buildEntry({
      startedAt: 0,
      method: "HEAD",
      url: "http://x/api/hello",
      requestHeaders: {},
      status: 404,
      responseHeaders: {},
      responseBody: "",
      waitMs: 0,
      receiveMs: 0,
    });
    const har: HarLog = {
      log: { version: "1.2", creator: { name: "t", version: "0" }, entries: [entry] },
    };
    expect(() => extractTemplate(har)).toThrow(CaptureError);
  });
});
