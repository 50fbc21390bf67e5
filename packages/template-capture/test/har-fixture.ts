import { buildEntry } from "../src/entry.js";
import type { HarLog } from "../src/har.js";

/** A one-request capture of an Anthropic client with the given body and headers. */
export function anthropicCapture(
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): HarLog {
  const entry = buildEntry({
    startedAt: 0,
    method: "POST",
    url: "http://127.0.0.1:3456/v1/messages?beta=true",
    requestHeaders: { "content-type": "application/json", ...headers },
    requestBody: JSON.stringify(body),
    status: 200,
    responseHeaders: { "content-type": "application/json" },
    responseBody: '{"type":"message"}',
    waitMs: 1,
    receiveMs: 0,
  });
  return { log: { version: "1.2", creator: { name: "test", version: "0" }, entries: [entry] } };
}

/** A Claude-Code-shaped request body. */
export function agentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: "claude-sonnet-4-5",
    max_tokens: 32000,
    system: [
      { type: "text", text: "You are an agent." },
      { type: "text", text: "Be brief.\nUse tools.", cache_control: { type: "ephemeral" } },
    ],
    tools: [
      {
        name: "Read",
        description: "Reads a file",
        input_schema: {
          type: "object",
          properties: { file_path: { type: "string" } },
          required: ["file_path"],
        },
      },
      {
        name: "Bash",
        description: "Runs a command",
        input_schema: { type: "object", properties: {} },
      },
    ],
    metadata: {
      user_id: "user_0123456789abcdef0123456789abcdef_session_7b888b48-bc7f-4c18-8546-b8d391fe66c2",
    },
    messages: [{ role: "user", content: "hi" }],
    stream: true,
    ...overrides,
  };
}
