import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect, from, splitAt } from "../__fixtures__/stream-arbitraries.js";
import { createSseDecoder } from "../sse.js";
import { createAnthropicToOpenAIStreamTranslator } from "./anthropic-to-openai.js";
import { createOpenAIToAnthropicStreamTranslator } from "./openai-to-anthropic.js";
import {
  parseAnthropicStreamData,
  parseOpenAIStreamData,
  serializeAnthropicStreamEvent,
  serializeOpenAIStreamItem,
} from "./serialize.js";
import {
  translateAnthropicStreamToOpenAI,
  translateOpenAIStreamToAnthropic,
} from "./translate-stream.js";

// Whole streams of every kind of event, framed every way servers frame them, cut anywhere:
// the adapters (raw text deltas recognised in the SSE text itself, the rest parsed) must give
// byte for byte what parsing every event gives.

const MALFORMED = {
  type: "error",
  error: { type: "api_error", message: "upstream sent a malformed stream event" },
};

interface Translator<I, O> {
  push(input: I): O[];
  finish(): O[];
  error(err: unknown): O[];
  readonly done: boolean;
}

/** The slow path: every event parsed, pushed and serialised; a bad event ends the stream. */
function slow<I, O>(
  sse: string,
  translator: Translator<I, O>,
  parse: (data: string) => I,
  serialize: (output: O) => string,
): string {
  let out = "";
  const write = (outputs: O[]) => {
    for (const o of outputs) out += serialize(o);
  };
  const decoder = createSseDecoder();
  for (const message of [...decoder.push(sse), ...decoder.end()]) {
    if (translator.done) break;
    let input: I;
    try {
      input = parse(message.data);
    } catch {
      write(translator.error(MALFORMED));
      break;
    }
    write(translator.push(input));
  }
  write(translator.finish());
  return out;
}

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.string({ unit: "grapheme", maxLength: 3 }),
  fc.constantFrom('"', "\\", "\n", "\r", "\u2028", "😀", "\ud83d", "\u0000", "", "</script>"),
);
const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify({ v }));
/** A JSON text cut into the pieces a tool call's arguments stream in. */
const pieces = fc
  .tuple(json, fc.array(fc.nat(), { maxLength: 4 }))
  .map(([s, cuts]) =>
    [...new Set(cuts.map((c) => c % (s.length + 1))), s.length]
      .sort((a, b) => a - b)
      .map((end, i, all) => s.slice(i === 0 ? 0 : all[i - 1], end)),
  );

/** How one event is put on the wire: as servers send it, or in a form the fast path declines. */
type Framing = "plain" | "crlf" | "spaced" | "comment" | "no-space" | "no-event";
const framing = fc.constantFrom<Framing>(
  "plain",
  "plain",
  "plain",
  "plain",
  "crlf",
  "spaced",
  "comment",
  "no-space",
  "no-event",
);

function frame(how: Framing, name: string | undefined, value: object | string): string {
  const data = typeof value === "string" ? value : JSON.stringify(value);
  const event = name === undefined || how === "no-event" ? "" : `event: ${name}\n`;
  switch (how) {
    case "crlf":
      return `${event}data: ${data}\n\n`.replace(/\n/g, "\r\n");
    case "spaced":
      return `${event}data: ${JSON.stringify(value, null, 1).split("\n").join("\ndata: ")}\n\n`;
    case "comment":
      return `: keep-alive\n\n${event}data: ${data}\n\n`;
    case "no-space":
      return `${event}data:${data}\n\n`;
    default:
      return `${event}data: ${data}\n\n`;
  }
}

const block = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("text" as const), parts: fc.array(text) }),
  },
  fc.record({ kind: fc.constant("thinking" as const), parts: fc.array(text, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant("tool" as const), name: fc.constantFrom("f", "get_x"), pieces }),
);
/** What may come between events: nothing, a ping, an error, or a malformed event. */
const extra = fc.constantFrom("", "", "", "", "", "ping", "ping", "error", "junk");

const anthropicStream = fc
  .record({
    blocks: fc.array(fc.tuple(block, extra), { maxLength: 4 }),
    cacheRead: fc.option(fc.nat(50)),
    stop: fc.constantFrom("end_turn", "tool_use", "max_tokens", null),
    end: fc.constantFrom("whole", "whole", "whole", "no-stop", "cut"),
    framings: fc.array(framing, { minLength: 1, maxLength: 8 }),
  })
  .map(({ blocks, cacheRead, stop, end, framings }) => {
    let n = 0;
    let sse = "";
    const ev = (event: { type: string } & Record<string, unknown>) => {
      const how = framings[n++ % framings.length] as Framing;
      sse += frame(how, event.type, event);
    };
    const usage = { input_tokens: 5, output_tokens: 1, cache_read_input_tokens: cacheRead };
    const message = { id: "msg_1", type: "message", role: "assistant", model: "claude-x" };
    ev({ type: "message_start", message: { ...message, content: [], usage } });
    blocks.forEach(([b, x], index) => {
      if (b.kind === "tool") {
        const content_block = { type: "tool_use", id: `toolu_${index}`, name: b.name, input: {} };
        ev({ type: "content_block_start", index, content_block });
        for (const partial_json of b.pieces) {
          ev({
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json },
          });
        }
      } else {
        const content_block =
          b.kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "" };
        ev({ type: "content_block_start", index, content_block });
        for (const part of b.parts) {
          const delta =
            b.kind === "text"
              ? { type: "text_delta", text: part }
              : { type: "thinking_delta", thinking: part };
          ev({ type: "content_block_delta", index, delta });
        }
        if (b.kind === "thinking")
          ev({
            type: "content_block_delta",
            index,
            delta: { type: "signature_delta", signature: "sig" },
          });
      }
      if (x === "ping") ev({ type: "ping" });
      else if (x === "error")
        ev({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
      else if (x === "junk")
        sse +=
          'event: content_block_delta\ndata: {"type":"content_block_delta","index":00,"delta":{"type":"text_delta","text":"x"}}\n\n';
      ev({ type: "content_block_stop", index });
    });
    if (end === "cut") return sse;
    ev({
      type: "message_delta",
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: 7 },
    });
    if (end === "whole") ev({ type: "message_stop" });
    return sse;
  });

type Delta = { content: string } | { reasoning_content: string } | { tool: number; args: string };
const openAIDelta = fc.oneof(
  { weight: 4, arbitrary: text.map((content): Delta => ({ content })) },
  text.map((reasoning_content): Delta => ({ reasoning_content })),
  fc.tuple(fc.nat(1), json).map(([tool, args]): Delta => ({ tool, args })),
);

const openAIStream = fc
  .record({
    deltas: fc.array(fc.tuple(openAIDelta, extra), { maxLength: 12 }),
    extraKeys: fc.constantFrom(
      {},
      { obfuscation: "abc" },
      { system_fingerprint: "fp", usage: null },
      // OpenAI pads every chunk differently, after its choices: text chunks in runs.
      "padded" as const,
    ),
    finish: fc.constantFrom("stop", "tool_calls", "length", null),
    end: fc.constantFrom("whole", "whole", "whole", "no-done", "cut"),
    framings: fc.array(framing, { minLength: 1, maxLength: 8 }),
  })
  .map(({ deltas, extraKeys, finish, end, framings }) => {
    let n = 0;
    let sse = "";
    const put = (value: object | string) => {
      sse += frame(framings[n++ % framings.length] as Framing, undefined, value);
    };
    const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-x" };
    const chunk = (delta: object, finish_reason: string | null = null) =>
      put(
        extraKeys === "padded"
          ? {
              ...base,
              choices: [{ index: 0, delta, finish_reason }],
              obfuscation: "x".repeat(n % 4),
            }
          : { ...base, ...extraKeys, choices: [{ index: 0, delta, finish_reason }] },
      );
    chunk({ role: "assistant", content: "" });
    const started = new Set<number>();
    for (const [d, x] of deltas) {
      if ("tool" in d) {
        const head = started.has(d.tool) ? {} : { id: `call_${d.tool}`, type: "function" };
        started.add(d.tool);
        chunk({ tool_calls: [{ index: d.tool, ...head, function: { arguments: d.args } }] });
      } else chunk(d);
      if (x === "ping") sse += ": OPENROUTER PROCESSING\n\n";
      else if (x === "error") put({ error: { message: "boom", type: "server_error", code: null } });
      else if (x === "junk") put('{"choices":[{"index":0,"delta":{"content":"x"}}]');
    }
    if (end === "cut") return sse;
    if (finish !== null) chunk({}, finish);
    put({
      ...base,
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    });
    if (end === "whole") put("[DONE]");
    return sse;
  });

const cuts = fc.oneof(fc.array(fc.nat(), { maxLength: 20 }), fc.constant("bytes" as const));
const split = (bytes: Uint8Array, how: number[] | "bytes") =>
  how === "bytes" ? [...bytes].map((b) => Uint8Array.of(b)) : splitAt(bytes, how);

describe("fast path = slow path on whole streams of every event kind", () => {
  it("Anthropic → OpenAI", async () => {
    const options = { now: () => 1_000_000, includeUsage: true };
    await fc.assert(
      fc.asyncProperty(anthropicStream, cuts, async (sse, how) => {
        const expected = slow(
          sse,
          createAnthropicToOpenAIStreamTranslator(options),
          parseAnthropicStreamData,
          serializeOpenAIStreamItem,
        );
        const chunks = split(new TextEncoder().encode(sse), how);
        const got = await collect(translateAnthropicStreamToOpenAI(from(chunks), options));
        expect(got).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it("OpenAI → Anthropic", async () => {
    const options = { generateMessageId: () => "m", generateToolId: () => "t" };
    await fc.assert(
      fc.asyncProperty(openAIStream, cuts, async (sse, how) => {
        const expected = slow(
          sse,
          createOpenAIToAnthropicStreamTranslator(options),
          parseOpenAIStreamData,
          serializeAnthropicStreamEvent,
        );
        const chunks = split(new TextEncoder().encode(sse), how);
        const got = await collect(translateOpenAIStreamToAnthropic(from(chunks), options));
        expect(got).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });
});
