import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convertAnthropicRequestToOpenAI } from "./convert-anthropic-request-to-openai.js";
import { convertOpenAIRequestToAnthropic } from "./convert-openai-request-to-anthropic.js";
import { convertOpenAIRequestToResponses } from "./convert-openai-request-to-responses.js";
import { convertResponsesRequestToOpenAI } from "./convert-responses-request-to-openai.js";
import type { OpenAIStreamItem } from "./stream/anthropic-to-openai.js";
import { createOpenAIToResponsesStreamTranslator } from "./stream/openai-to-responses.js";
import { createResponsesToOpenAIStreamTranslator } from "./stream/responses-to-openai.js";
import type { AnthropicMessagesRequest } from "./types/anthropic.js";
import type { OpenAIChatCompletionChunk, OpenAIMessage } from "./types/openai.js";

const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== "");
const name = fc.stringMatching(/^[a-z][a-z_]{0,10}$/);
const args = fc
  .dictionary(name, fc.oneof(fc.integer(), text), { maxKeys: 3 })
  .map((o) => JSON.stringify(o));

/**
 * One exchange after the first user message: the assistant answers (optionally after calling
 * tools and getting their results), then the user speaks again.
 */
const turn = fc.oneof(
  fc.record({ answer: text, next: text }).map(({ answer, next }): OpenAIMessage[] => [
    { role: "assistant", content: answer },
    { role: "user", content: next },
  ]),
  fc
    .record({
      say: fc.option(text, { nil: undefined }),
      calls: fc.array(fc.record({ name, args }), { minLength: 1, maxLength: 3 }),
      results: fc.array(text, { minLength: 3, maxLength: 3 }),
      answer: text,
      next: text,
    })
    .map(({ say, calls, results, answer, next }): OpenAIMessage[] => {
      const ids = calls.map(() => `call_${Math.random().toString(36).slice(2, 10)}`);
      return [
        {
          role: "assistant",
          content: say ?? null,
          tool_calls: calls.map((c, i) => ({
            id: ids[i]!,
            type: "function" as const,
            function: { name: c.name, arguments: c.args },
          })),
        },
        ...ids.map(
          (id, i): OpenAIMessage => ({ role: "tool", tool_call_id: id, content: results[i]! }),
        ),
        { role: "assistant", content: answer },
        { role: "user", content: next },
      ];
    }),
);

/** A Chat Completions conversation any client could send: system, then alternating turns. */
const conversation = fc
  .record({
    system: fc.option(text, { nil: undefined }),
    first: text,
    turns: fc.array(turn, { maxLength: 5 }),
  })
  .map(({ system, first, turns }) => [
    ...(system === undefined ? [] : [{ role: "system" as const, content: system }]),
    { role: "user" as const, content: first },
    ...turns.flat(),
  ]);

/** What must survive: each message's role, text, tool calls (name, arguments, id), results. */
function essence(messages: OpenAIMessage[]) {
  return messages.map((m) => {
    const base = { role: m.role, text: typeof m.content === "string" ? m.content : "" };
    if (m.role === "assistant") {
      return {
        ...base,
        calls: (m.tool_calls ?? []).map((c) => [c.id, c.function.name, c.function.arguments]),
      };
    }
    if (m.role === "tool") return { ...base, id: m.tool_call_id };
    return base;
  });
}

describe("round trips through the Responses API (property)", () => {
  it("Chat Completions → Responses → Chat Completions keeps text, tool calls and their pairing", () => {
    fc.assert(
      fc.property(conversation, (messages) => {
        const responses = convertOpenAIRequestToResponses({ model: "m", messages });
        const back = convertResponsesRequestToOpenAI(responses).request.messages;
        expect(back.filter((m) => m.role === "tool").length).toBe(
          messages.filter((m) => m.role === "tool").length,
        );
        expect(essence(back)).toEqual(essence(messages));
      }),
      { numRuns: 200 },
    );
  });

  it("Messages → Chat → Responses → Chat → Messages keeps text, tool_use and tool_result pairing", () => {
    fc.assert(
      fc.property(conversation, (messages) => {
        const anthropic = convertOpenAIRequestToAnthropic({ model: "m", messages });
        const request: AnthropicMessagesRequest = { ...anthropic, max_tokens: 100 };
        const chat = convertAnthropicRequestToOpenAI(request);
        const responses = convertOpenAIRequestToResponses(chat);
        const again = convertOpenAIRequestToAnthropic(
          convertResponsesRequestToOpenAI(responses).request,
        );
        expect(again.messages).toEqual(request.messages);
        expect(again.system).toEqual(request.system);
      }),
      { numRuns: 200 },
    );
  });

  it("Chat stream → Responses events → Chat stream keeps the text and every tool call", () => {
    const piece = fc.oneof(
      text.map((t) => ({ content: t })),
      fc.record({ slot: fc.integer({ min: 0, max: 2 }), frag: text }),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (pieces) => {
        const chunk = (
          delta: Record<string, unknown>,
          finish: string | null = null,
        ): OpenAIStreamItem => ({
          id: "c",
          object: "chat.completion.chunk",
          created: 1,
          model: "m",
          choices: [{ index: 0, delta, finish_reason: finish as null }],
        });
        const opened = new Set<number>();
        const input: OpenAIStreamItem[] = [chunk({ role: "assistant", content: "" })];
        let expectedText = "";
        const expectedArgs: string[] = [];
        for (const p of pieces) {
          if ("content" in p) {
            expectedText += p.content;
            input.push(chunk({ content: p.content }));
          } else {
            const first = !opened.has(p.slot);
            opened.add(p.slot);
            expectedArgs[p.slot] = (expectedArgs[p.slot] ?? "") + p.frag;
            input.push(
              chunk({
                tool_calls: [
                  {
                    index: p.slot,
                    ...(first
                      ? {
                          id: `call_${p.slot}`,
                          type: "function",
                          function: { name: `f${p.slot}`, arguments: p.frag },
                        }
                      : { function: { arguments: p.frag } }),
                  },
                ],
              }),
            );
          }
        }
        input.push(chunk({}, opened.size > 0 ? "tool_calls" : "stop"), "[DONE]");
        const toResponses = createOpenAIToResponsesStreamTranslator();
        const toChat = createResponsesToOpenAIStreamTranslator();
        const out: OpenAIStreamItem[] = [];
        for (const item of input)
          for (const event of toResponses.push(item)) out.push(...toChat.push(event));
        const chunks = out.filter(
          (i): i is OpenAIChatCompletionChunk => typeof i === "object" && "choices" in i,
        );
        expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(expectedText);
        const calls = new Map<string, string>();
        const ids: string[] = [];
        for (const c of chunks) {
          for (const tc of c.choices[0]?.delta.tool_calls ?? []) {
            if (tc.id) ids[tc.index] = tc.id;
            const id = ids[tc.index]!;
            calls.set(id, (calls.get(id) ?? "") + (tc.function?.arguments ?? ""));
          }
        }
        for (const slot of opened) expect(calls.get(`call_${slot}`)).toBe(expectedArgs[slot]);
        expect(out.at(-1)).toBe("[DONE]");
      }),
      { numRuns: 200 },
    );
  });
});
