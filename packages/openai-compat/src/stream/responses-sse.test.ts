import { afterEach, describe, expect, it, vi } from "vitest";
import { createSseDecoder } from "../sse.js";
import type { ResponsesStreamEvent } from "../types/responses.js";
import { createAnthropicToResponsesStreamTranslator } from "./anthropic-to-responses.js";
import { createOpenAIToResponsesStreamTranslator } from "./openai-to-responses.js";
import { parseAnthropicStreamData, parseOpenAIStreamData } from "./serialize.js";
import { serializeResponsesStreamEvent } from "./serialize-responses.js";

// A translator's `sse` writes a message item's events from templates and the text of its
// closing events from the JSON the deltas came in: a long answer is never escaped again.

const WORDS = 400;
const ev = (event: Record<string, unknown>) =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

function anthropicStream(): string {
  let sse = ev({
    type: "message_start",
    message: { id: "msg_u", type: "message", role: "assistant", model: "m", content: [] },
  });
  sse += ev({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
  for (let i = 0; i < WORDS; i++) {
    sse += ev({
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text: `w${i} ` },
    });
  }
  sse += ev({ type: "content_block_stop", index: 0 });
  sse += ev({
    type: "message_delta",
    delta: { stop_reason: "end_turn" },
    usage: { output_tokens: 9 },
  });
  return sse + ev({ type: "message_stop" });
}

function openAIStream(): string {
  const chunk = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let sse = chunk({ role: "assistant", content: "" });
  for (let i = 0; i < WORDS; i++) sse += chunk({ content: `w${i} ` });
  return `${sse + chunk({}, "stop")}data: [DONE]\n\n`;
}

interface Translator {
  push(item: never): ResponsesStreamEvent[];
  finish(): ResponsesStreamEvent[];
  textDeltaSse(data: string): string | undefined;
  sse(event: ResponsesStreamEvent): string;
}

/** The proxy's path, with each event also serialised the plain way for comparison. */
function translate(translator: Translator, parse: (data: string) => unknown, sse: string) {
  const events: ResponsesStreamEvent[] = [];
  let fast = "";
  const take = (list: ResponsesStreamEvent[]) => {
    for (const event of list) {
      events.push(event);
      fast += translator.sse(event);
    }
  };
  for (const message of createSseDecoder().push(sse)) {
    const quick = translator.textDeltaSse(message.data);
    if (quick !== undefined) fast += quick;
    else take(translator.push(parse(message.data) as never));
  }
  take(translator.finish());
  return { events, fast };
}

const cases = [
  {
    name: "Anthropic → Responses",
    make: () =>
      createAnthropicToResponsesStreamTranslator({ request: { model: "m", input: "hi" } }),
    parse: parseAnthropicStreamData,
    stream: anthropicStream,
  },
  {
    name: "Chat Completions → Responses",
    make: () => createOpenAIToResponsesStreamTranslator({ request: { model: "m", input: "hi" } }),
    parse: parseOpenAIStreamData,
    stream: openAIStream,
  },
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe("translator.sse", () => {
  for (const { name, make, parse, stream } of cases) {
    it(`${name}: escapes a long answer's text never again, and writes the same bytes`, () => {
      const translator = make() as unknown as Translator;
      const stringify = JSON.stringify;
      const long: unknown[] = [];
      // Counts every JSON.stringify call that writes the whole text (on its own or inside an event).
      vi.spyOn(JSON, "stringify").mockImplementation(((value: unknown, ...rest: []) => {
        const json = stringify(value, ...rest);
        if (typeof json === "string" && json.includes(`w${WORDS - 1} `) && json.includes("w0 "))
          long.push(value);
        return json;
      }) as typeof JSON.stringify);
      const { events, fast } = translate(translator, parse, stream());
      vi.restoreAllMocks();
      expect(long).toEqual([]);
      const done = events.find((e) => e.type === "response.output_text.done");
      expect(done && "text" in done ? done.text.length : 0).toBeGreaterThan(1000);
      // Fast-path deltas are not in `events`: compare every other event byte for byte.
      const plain = events.map(serializeResponsesStreamEvent);
      for (const text of plain) expect(fast).toContain(text);
      // Every delta is in the output: those the fast path took and those pushed.
      expect(fast.split("event: response.output_text.delta\n").length - 1).toBe(WORDS);
    });
  }
});
