/**
 * The REAL Codex CLI (`@openai/codex`) → switchyard `/v1/responses` → a local mock upstream
 * speaking Anthropic Messages, then one speaking Chat Completions. The mock asks for one of
 * Codex's own tools (its shell tool); Codex runs it and the result must reach the mock
 * paired with the call id. CODEX_HOME and HOME are temp dirs; nothing leaves 127.0.0.1.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCodexHome, runCodex } from "./helpers/codex.js";
import { sendJson } from "./helpers/mock-upstream.js";
import { type ResponsesHarness, startResponsesHarness } from "./helpers/responses-harness.js";

type Json = Record<string, unknown>;
const MARKER = "switchyard-marker-7f3a";
const THINKING_SIGNATURE = "sig-codex-thinking-1";

/** The command input for whichever shell tool Codex declared, by its own schema. */
function shellCall(tools: Array<{ name: string }>): { name: string; input: Json } {
  const names = tools.map((t) => t.name);
  if (names.includes("shell_command"))
    return { name: "shell_command", input: { command: "cat marker.txt" } };
  if (names.includes("exec_command"))
    return { name: "exec_command", input: { cmd: "cat marker.txt" } };
  if (names.includes("shell")) return { name: "shell", input: { command: ["cat", "marker.txt"] } };
  throw new Error(`no shell tool among: ${names.join(", ")}`);
}

const seen: { anthropic: Json[]; openai: Json[] } = { anthropic: [], openai: [] };

function anthropicSse(res: ServerResponse, blocks: Json[], stop: string) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const ev = (d: Json) => res.write(`event: ${d.type}\ndata: ${JSON.stringify(d)}\n\n`);
  ev({
    type: "message_start",
    message: {
      id: "msg_cx",
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 50, output_tokens: 1 },
    },
  });
  blocks.forEach((block, index) => {
    if (block.type === "thinking") {
      ev({
        type: "content_block_start",
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      });
      ev({
        type: "content_block_delta",
        index,
        delta: { type: "thinking_delta", thinking: block.thinking },
      });
      ev({
        type: "content_block_delta",
        index,
        delta: { type: "signature_delta", signature: block.signature },
      });
    } else if (block.type === "tool_use") {
      ev({ type: "content_block_start", index, content_block: { ...block, input: {} } });
      ev({
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
      });
    } else {
      ev({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      ev({ type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } });
    }
    ev({ type: "content_block_stop", index });
  });
  ev({
    type: "message_delta",
    delta: { stop_reason: stop, stop_sequence: null },
    usage: { output_tokens: 12 },
  });
  ev({ type: "message_stop" });
  res.end();
}

function chatSse(res: ServerResponse, delta: Json, finish: string) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const chunk = (d: Json, f: string | null) =>
    `data: ${JSON.stringify({ id: "chatcmpl-cx", object: "chat.completion.chunk", created: 1, model: "gpt-x", choices: [{ index: 0, delta: d, finish_reason: f }] })}\n\n`;
  res.write(chunk({ role: "assistant", content: "" }, null));
  res.write(chunk(delta, null));
  res.write(chunk({}, finish));
  res.write(
    `data: ${JSON.stringify({ id: "chatcmpl-cx", object: "chat.completion.chunk", created: 1, model: "gpt-x", choices: [], usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62 } })}\n\n`,
  );
  res.end("data: [DONE]\n\n");
}

let h: ResponsesHarness;
let cwd: string;
const homes: string[] = [];

beforeAll(async () => {
  h = await startResponsesHarness({
    anthropic: async (request, res) => {
      if (!request.path.startsWith("/v1/messages")) return sendJson(res, 404, {});
      const body = request.body ?? {};
      seen.anthropic.push(body);
      const messages = body.messages as Array<{ role: string; content: unknown }>;
      const results = messages
        .flatMap((m) => (Array.isArray(m.content) ? (m.content as Json[]) : []))
        .filter((b) => b.type === "tool_result");
      if (results.length > 0)
        return anthropicSse(
          res,
          [{ type: "text", text: `The marker says ${MARKER}. Done.` }],
          "end_turn",
        );
      const call = shellCall(body.tools as Array<{ name: string }>);
      return anthropicSse(
        res,
        [
          {
            type: "thinking",
            thinking: "The user wants the marker.",
            signature: THINKING_SIGNATURE,
          },
          { type: "text", text: "Reading the file." },
          { type: "tool_use", id: "toolu_codex1", name: call.name, input: call.input },
        ],
        "tool_use",
      );
    },
    openai: async (request, res) => {
      if (!request.path.endsWith("/chat/completions")) return sendJson(res, 404, {});
      const body = request.body ?? {};
      seen.openai.push(body);
      const messages = body.messages as Array<{ role: string }>;
      if (messages.some((m) => m.role === "tool"))
        return chatSse(res, { content: `The marker says ${MARKER}. Done.` }, "stop");
      const tools = (body.tools as Array<{ function: { name: string } }>).map((t) => ({
        name: t.function.name,
      }));
      const call = shellCall(tools);
      return chatSse(
        res,
        {
          tool_calls: [
            {
              index: 0,
              id: "call_codex1",
              type: "function",
              function: { name: call.name, arguments: JSON.stringify(call.input) },
            },
          ],
        },
        "tool_calls",
      );
    },
  });
  cwd = mkdtempSync(join(tmpdir(), "switchyard-codex-cwd-"));
  writeFileSync(join(cwd, "marker.txt"), `${MARKER}\n`);
});

afterAll(async () => {
  await h.close();
  for (const dir of [cwd, ...homes]) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  { upstream: "anthropic" as const, model: "claude-sonnet-test", callId: "toolu_codex1" },
  { upstream: "openai" as const, model: "openai-mock:gpt-x", callId: "call_codex1" },
])("real Codex CLI through switchyard → $upstream mock", ({ upstream, model, callId }) => {
  it("completes a task with one shell tool round trip", async () => {
    const home = createCodexHome({ baseUrl: `${h.server.url}/v1`, model });
    homes.push(home);
    const before = seen[upstream].length;
    const run = await runCodex({ home, cwd, prompt: "Read marker.txt and tell me what it says." });
    const requests = seen[upstream].slice(before);
    expect(requests.length, run.stderr.slice(-2000)).toBeGreaterThanOrEqual(2);
    // The tool result reached the mock paired with the call id the mock chose.
    const last = JSON.stringify(requests.at(-1));
    expect(last).toContain(callId);
    expect(last).toContain(MARKER);
    // Precisely: the call went back as the model made it, and its result carries that id.
    const history = requests.at(-1)?.messages as Array<Json & { role: string; content: unknown }>;
    const blocks = history.flatMap((m) => (Array.isArray(m.content) ? (m.content as Json[]) : []));
    if (upstream === "anthropic") {
      const use = blocks.findIndex((b) => b.type === "tool_use" && b.id === callId);
      const result = blocks.findIndex((b) => b.type === "tool_result" && b.tool_use_id === callId);
      expect(use).toBeGreaterThanOrEqual(0);
      expect(result).toBeGreaterThan(use);
      expect(JSON.stringify(blocks[result])).toContain(MARKER);
    } else {
      const asked = history.findIndex(
        (m) =>
          m.role === "assistant" &&
          (m.tool_calls as Json[] | undefined)?.some((c) => c.id === callId) === true,
      );
      const answered = history.findIndex((m) => m.role === "tool" && m.tool_call_id === callId);
      expect(asked).toBeGreaterThanOrEqual(0);
      expect(answered).toBeGreaterThan(asked);
      expect(JSON.stringify(history[answered]?.content)).toContain(MARKER);
    }
    const texts = run.events
      .filter((e) => e.type === "item.completed")
      .map((e) => (e.item as Json | undefined)?.text)
      .filter((t): t is string => typeof t === "string");
    expect(texts.join("\n")).toContain(`The marker says ${MARKER}`);
    expect(run.events.some((e) => e.type === "turn.completed")).toBe(true);
    expect(run.code).toBe(0);
    if (upstream === "anthropic") {
      // Codex kept the reasoning item (with its encrypted content) and sent it back: the
      // upstream got its signed thinking block back, first in the tool-use turn.
      const messages = requests.at(-1)?.messages as Array<{ role: string; content: Json[] }>;
      const turn = messages.find(
        (m) => m.role === "assistant" && m.content.some((b) => b.type === "tool_use"),
      );
      expect(turn?.content[0]).toEqual({
        type: "thinking",
        thinking: "The user wants the marker.",
        signature: THINKING_SIGNATURE,
      });
    }
    const logged = h.logs.filter((l) => l.path === "/v1/responses");
    expect(logged.every((l) => l.status === 200)).toBe(true);
    // Codex's hosted web_search has no faithful equivalent upstream: left out and reported,
    // without failing the session. Its multi-agent namespace is translated: each of its
    // tools reaches the upstream as a function named <namespace>__<tool>.
    expect(logged.at(-1)?.omitted).toContain("tool:web_search");
    expect(logged.at(-1)?.omitted?.some((o) => o.startsWith("tool:namespace"))).toBe(false);
    const tools = (requests[0]?.tools ?? []) as Array<{
      name?: string;
      function?: { name: string };
    }>;
    const names = tools.map((t) => t.name ?? t.function?.name);
    expect(names).toContain("multi_agent_v1__spawn_agent");
  }, 120_000);
});
