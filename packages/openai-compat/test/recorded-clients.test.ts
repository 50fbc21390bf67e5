/**
 * Golden fixtures recorded from real clients (see fixtures/recorded/README.md): every request
 * they sent must translate to the other dialect and back without losing its tools, system
 * prompt or messages, and every recorded stream must translate to a complete stream.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type AnthropicMessagesRequest,
  type AnthropicStreamEvent,
  convertAnthropicRequestToOpenAI,
  convertOpenAIRequestToAnthropic,
  convertResponsesRequestToAnthropic,
  convertResponsesRequestToOpenAI,
  createAnthropicToOpenAIStreamTranslator,
  createOpenAIToAnthropicStreamTranslator,
  createResponsesToAnthropicStreamTranslator,
  createResponsesToOpenAIStreamTranslator,
  createSseDecoder,
  OPENAI_STREAM_DONE,
  type OpenAIChatRequest,
  type OpenAIStreamItem,
  type ResponsesRequest,
} from "../src/index.js";

interface RecordedEntry {
  request: { method: string; url: string; postData?: { text: string } };
  response: { content: { text?: string; _sseEvents?: unknown[] } };
}

const dir = new URL("./fixtures/recorded/", import.meta.url);
const captures = readdirSync(dir)
  .filter((f) => f.endsWith(".har"))
  .map((file) => {
    const text = readFileSync(new URL(file, dir), "utf8");
    const entries = (JSON.parse(text) as { log: { entries: RecordedEntry[] } }).log.entries;
    return {
      file,
      text,
      calls: entries.filter((e) => e.request.method === "POST" && e.request.postData),
    };
  });

const pathOf = (entry: RecordedEntry) => new URL(entry.request.url).pathname;
const events = (entry: RecordedEntry) =>
  createSseDecoder()
    .push(entry.response.content.text ?? "")
    .filter((m) => m.data !== "[DONE]")
    .map((m) => JSON.parse(m.data) as unknown);

describe("recorded real-client fixtures", () => {
  it("are there: Claude Code, Codex and both official SDKs, scrubbed", () => {
    expect(captures.map((c) => c.file).sort()).toEqual([
      "anthropic-sdk.har",
      "claude-code.har",
      "codex.har",
      "openai-sdk.har",
    ]);
    for (const { text, calls } of captures) {
      expect(calls.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/canary/i);
    }
  });

  for (const { file, calls } of captures) {
    calls.forEach((entry, i) => {
      const body = JSON.parse(entry.request.postData?.text ?? "{}");
      const streamed = entry.response.content._sseEvents !== undefined;

      it(`${file} #${i}: the request translates both ways keeping tools, system and turns`, () => {
        if (pathOf(entry) === "/v1/responses") {
          // Codex: its function tools, and the functions inside its namespaces (multi-agent,
          // as `<namespace>__<tool>`), reach both dialects by name and schema, in order; the
          // hosted ones (web_search) are left out and listed, never dropped silently; its
          // instructions and turns survive.
          const request = body as ResponsesRequest;
          const chat = convertResponsesRequestToOpenAI(request);
          const anthropic = convertResponsesRequestToAnthropic(request);
          type Fn = { type: string; name: string; parameters?: unknown };
          const tools = (request.tools ?? []) as unknown as Array<Fn & { tools?: Fn[] }>;
          const fns = tools.flatMap((t) =>
            t.type === "function"
              ? [t]
              : t.type === "namespace"
                ? (t.tools ?? [])
                    .filter((inner) => inner.type === "function")
                    .map((inner) => ({ ...inner, name: `${t.name}__${inner.name}` }))
                : [],
          );
          expect(fns.length).toBeGreaterThan(2);
          expect(chat.request.tools?.map((t) => t.function.name)).toEqual(fns.map((t) => t.name));
          expect(anthropic.request.tools?.map((t) => t.name)).toEqual(fns.map((t) => t.name));
          expect(anthropic.request.tools?.map((t) => t.input_schema)).toEqual(
            fns.map((t) => t.parameters),
          );
          const others = tools.filter(
            (t) => t.type !== "function" && t.type !== "namespace",
          ).length;
          expect(chat.omitted.filter((o) => o.startsWith("tool:")).length).toBe(others);
          expect(JSON.stringify(anthropic.request.system)).toContain("Codex");
          expect(anthropic.request.messages.at(-1)?.role).toBe("user");
          expect(JSON.stringify(anthropic.request.messages.at(-1))).toContain("hi");
        } else if (pathOf(entry) === "/v1/messages") {
          const request = body as AnthropicMessagesRequest;
          const openai = convertAnthropicRequestToOpenAI(request);
          expect(openai.tools?.map((t) => t.function.name)).toEqual(
            request.tools?.map((t) => t.name),
          );
          if (request.system !== undefined) expect(openai.messages[0]?.role).toBe("system");
          const back = convertOpenAIRequestToAnthropic(openai);
          expect(back.tools?.map((t) => t.name)).toEqual(request.tools?.map((t) => t.name));
          expect(back.tools?.map((t) => t.input_schema)).toEqual(
            request.tools?.map((t) => t.input_schema),
          );
          // A mid-conversation system message (Claude Code sends one) joins the system prompt.
          const turns = request.messages.filter((m) => (m.role as string) !== "system");
          expect(back.messages.map((m) => m.role)).toEqual(turns.map((m) => m.role));
        } else {
          const request = body as OpenAIChatRequest;
          const anthropic = convertOpenAIRequestToAnthropic(request);
          expect(anthropic.tools?.map((t) => t.name)).toEqual(
            request.tools?.map((t) => t.function.name),
          );
          const back = convertAnthropicRequestToOpenAI(anthropic);
          expect(back.messages).toEqual(
            request.messages.map((m) => expect.objectContaining({ role: m.role })),
          );
        }
      });

      if (!streamed) return;
      it(`${file} #${i}: the recorded stream translates to a complete stream`, () => {
        if (pathOf(entry) === "/v1/responses") {
          const toChat = createResponsesToOpenAIStreamTranslator();
          const toAnthropic = createResponsesToAnthropicStreamTranslator();
          const chat: OpenAIStreamItem[] = [];
          const anthropic: AnthropicStreamEvent[] = [];
          for (const event of events(entry) as Parameters<typeof toChat.push>[0][]) {
            chat.push(...toChat.push(event));
            anthropic.push(...toAnthropic.push(event));
          }
          chat.push(...toChat.finish());
          anthropic.push(...toAnthropic.finish());
          expect(chat.at(-1)).toBe(OPENAI_STREAM_DONE);
          expect(chat.some((item) => item !== OPENAI_STREAM_DONE && "error" in item)).toBe(false);
          expect(anthropic[0]?.type).toBe("message_start");
          expect(anthropic.at(-1)?.type).toBe("message_stop");
        } else if (pathOf(entry) === "/v1/messages") {
          const translator = createAnthropicToOpenAIStreamTranslator();
          const out: OpenAIStreamItem[] = [];
          for (const event of events(entry))
            out.push(...translator.push(event as AnthropicStreamEvent));
          out.push(...translator.finish());
          expect(out.at(-1)).toBe(OPENAI_STREAM_DONE);
          expect(out.some((item) => item !== OPENAI_STREAM_DONE && "error" in item)).toBe(false);
        } else {
          const translator = createOpenAIToAnthropicStreamTranslator();
          const out: AnthropicStreamEvent[] = [];
          for (const chunk of events(entry))
            out.push(...translator.push(chunk as OpenAIStreamItem));
          out.push(...translator.finish());
          expect(out[0]?.type).toBe("message_start");
          expect(out.at(-1)?.type).toBe("message_stop");
        }
      });
    });
  }
});
