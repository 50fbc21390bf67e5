import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ResponseSink } from "../types.js";
import {
  anthropicToResponsesTranslation,
  openAIToResponsesTranslation,
  responsesToOpenAITranslation,
} from "./responses-translations.js";
import {
  anthropicToOpenAITranslation,
  openAIToAnthropicTranslation,
  type UsageTrackingTranslation,
} from "./stream-translations.js";
import { pipeTranslatedStream } from "./translate-stream.js";
import type { UpstreamResponse } from "./upstream.js";
import type { UpstreamBody } from "./upstream-call.js";

// The translated stream path with its raw fast path (text deltas recognised in the SSE text)
// against the same translation with the fast path taken away: every event parsed. Same bytes
// to the client, same usage, same error, for any stream cut anywhere.

class RecordingSink implements ResponseSink {
  text = "";
  writes = 0;
  started = false;
  ended = false;
  readonly closed = false;
  json(): void {
    throw new Error("not a stream");
  }
  bytes(): void {
    throw new Error("not a stream");
  }
  startStream(): void {
    this.started = true;
  }
  async write(chunk: Uint8Array | string): Promise<void> {
    this.writes++;
    this.text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  }
  end(): void {
    this.ended = true;
  }
}

/** An upstream body of `chunks`, failing with `failure` after them when given. */
function upstream(chunks: Buffer[], failure?: Error): UpstreamResponse {
  const body = {
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield chunk;
      if (failure) throw failure;
    },
    bytes: async () => Buffer.concat(chunks),
    text: async () => Buffer.concat(chunks).toString(),
    destroy() {},
    dump: async () => {},
  } satisfies UpstreamBody;
  return {
    status: 200,
    headers: { "content-type": "text/event-stream" },
    body,
    mapError: (e) => e,
  };
}

async function run(
  translation: UsageTrackingTranslation,
  chunks: Buffer[],
  options: { dialect: "openai" | "anthropic"; failure?: Error },
) {
  const sink = new RecordingSink();
  let error: unknown;
  let code: string | undefined;
  try {
    code = await pipeTranslatedStream({
      response: upstream(chunks, options.failure),
      sink,
      callerDialect: options.dialect,
      translation,
      backend: "b",
    });
  } catch (e) {
    error = e instanceof Error ? e.message : e;
  }
  return { text: sink.text, ended: sink.ended, usage: translation.usage(), error, code };
}

/** The same translation with its raw fast path taken away. */
function parsedOnly(translation: UsageTrackingTranslation): UsageTrackingTranslation {
  return {
    push: translation.push.bind(translation),
    finish: translation.finish.bind(translation),
    error: translation.error.bind(translation),
    usage: translation.usage.bind(translation),
    get done() {
      return translation.done;
    },
    get failure() {
      return translation.failure;
    },
  };
}

/** Counts the calls of the translation's `raw` and `rawRun` from now on. */
function countFastPaths(translation: UsageTrackingTranslation) {
  const calls = { raw: 0, rawRun: 0 };
  const counted = translation as {
    -readonly [K in "raw" | "rawRun"]: UsageTrackingTranslation[K];
  };
  const { raw, rawRun } = translation;
  counted.raw = (...args) => {
    calls.raw++;
    return raw?.(...args);
  };
  counted.rawRun = (text, start, end, out) => {
    calls.rawRun++;
    return rawRun?.(text, start, end, out) ?? end;
  };
  return calls;
}

function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...at, bytes.length].map((p, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1], p));
}

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.constantFrom('"', "\\", "\n", "😀", "\u0000", "é"),
);
const crlf = (sse: string, yes: boolean) => (yes ? sse.replace(/\n/g, "\r\n") : sse);
const secret = "sk-secret-123";

/** One Anthropic SSE event, framed as Anthropic sends it. */
const ev = (e: { type: string } & Record<string, unknown>) =>
  `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
const message = { id: "msg_1", type: "message", role: "assistant", model: "c", content: [] };
const textBlockStart = (index: number) =>
  ev({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
const textDelta = (index: number, text: string) =>
  ev({ type: "content_block_delta", index, delta: { type: "text_delta", text } });

const openAIBase = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "g" };
/** One OpenAI chunk event of choice 0; `extra`'s keys follow `choices`. */
const chunk = (delta: object, finish_reason: string | null = null, extra: object = {}) =>
  `data: ${JSON.stringify({ ...openAIBase, choices: [{ index: 0, delta, finish_reason }], ...extra })}\n\n`;

const anthropicSse = fc
  .record({
    texts: fc.array(
      fc.tuple(text, fc.constantFrom("", "", "", "ping", "usage", "error", "junk", "stray")),
    ),
    end: fc.constantFrom("stop", "stop", "no-stop", "cut"),
    crlf: fc.boolean(),
    // The text block's index: the Responses fast path reads it from the event's text.
    index: fc.constantFrom(0, 0, 1, 12),
  })
  .map(({ texts, end, crlf: cr, index }) => {
    const usage = { input_tokens: 7, output_tokens: 1, cache_read_input_tokens: 3 };
    let sse = ev({ type: "message_start", message: { ...message, usage } });
    sse += textBlockStart(index);
    for (const [t, extra] of texts) {
      sse += textDelta(index, t);
      // A delta for a block that was never started.
      if (extra === "stray") sse += textDelta(index + 1, t);
      if (extra === "ping") sse += ev({ type: "ping" });
      if (extra === "usage")
        sse += ev({ type: "message_delta", delta: {}, usage: { output_tokens: 2 } });
      if (extra === "error") {
        sse += ev({ type: "error", error: { type: "api_error", message: `bad ${secret}` } });
      }
      if (extra === "junk") sse += "event: content_block_delta\ndata: {nope\n\n";
    }
    if (end === "cut") return crlf(sse, cr);
    sse += ev({ type: "content_block_stop", index });
    sse += ev({
      type: "message_delta",
      delta: { stop_reason: "end_turn" },
      usage: { output_tokens: 9 },
    });
    return crlf(end === "stop" ? sse + ev({ type: "message_stop" }) : sse, cr);
  });

const openAISse = fc
  .record({
    texts: fc.array(
      fc.tuple(text, fc.constantFrom("", "", "", "comment", "tool", "error", "junk")),
    ),
    end: fc.constantFrom("done", "done", "no-done", "cut"),
    crlf: fc.boolean(),
  })
  .map(({ texts, end, crlf: cr }) => {
    let sse = chunk({ role: "assistant", content: "" });
    for (const [t, extra] of texts) {
      sse += chunk({ content: t }, null, { usage: null });
      if (extra === "comment") sse += ": keep-alive\n\n";
      if (extra === "tool") {
        sse += chunk({
          tool_calls: [{ index: 0, id: "call_1", function: { name: "f", arguments: "{}" } }],
        });
      }
      if (extra === "error")
        sse += `data: ${JSON.stringify({ error: { message: `bad ${secret}` } })}\n\n`;
      if (extra === "junk") sse += "data: {nope\n\n";
    }
    if (end === "cut") return crlf(sse, cr);
    sse += chunk({}, "stop");
    const usage = {
      prompt_tokens: 9,
      completion_tokens: 4,
      prompt_tokens_details: { cached_tokens: 2 },
    };
    sse += `data: ${JSON.stringify({ ...openAIBase, choices: [], usage })}\n\n`;
    return crlf(end === "done" ? `${sse}data: [DONE]\n\n` : sse, cr);
  });

const cuts = fc.array(fc.nat(), { maxLength: 16 });
const failure = fc.option(fc.constant(new Error("socket hang up")));

describe("translated streams: raw fast path = every event parsed", () => {
  it("Anthropic upstream → OpenAI client", async () => {
    await fc.assert(
      fc.asyncProperty(anthropicSse, cuts, failure, async (sse, points, fail) => {
        const make = () =>
          anthropicToOpenAITranslation({ backend: "b", includeUsage: true, secrets: [secret] });
        const chunks = cut(Buffer.from(sse), points);
        const options = { dialect: "openai" as const, ...(fail ? { failure: fail } : {}) };
        const fast = await run(make(), chunks, options);
        const slow = await run(parsedOnly(make()), chunks, options);
        // `created` is the clock's second: the two runs straddle a second about once in a
        // thousand cases (one in four or five runs of this property), so it is left out.
        const created = (text: string) => text.replace(/"created":\d+/g, '"created":T');
        expect({ ...fast, text: created(fast.text) }).toEqual({
          ...slow,
          text: created(slow.text),
        });
        expect(fast.text).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });

  it("OpenAI upstream → Anthropic client", async () => {
    await fc.assert(
      fc.asyncProperty(openAISse, cuts, failure, async (sse, points, fail) => {
        const make = () => openAIToAnthropicTranslation({ backend: "b", secrets: [secret] });
        const chunks = cut(Buffer.from(sse), points);
        const options = { dialect: "anthropic" as const, ...(fail ? { failure: fail } : {}) };
        const fast = await run(make(), chunks, options);
        const slow = await run(parsedOnly(make()), chunks, options);
        expect(fast.text.replace(/"msg_[^"]*"/g, "M")).toBe(slow.text.replace(/"msg_[^"]*"/g, "M"));
        expect({ ...fast, text: "" }).toEqual({ ...slow, text: "" });
        expect(fast.text).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });

  // Response and item ids are random and `created_at` is the clock's second.
  const sameIds = (text: string) =>
    text
      .replace(/"(resp|msg|rs|fc)_[0-9a-f]+"/g, '"$1_X"')
      .replace(/"created_at":\d+/g, '"created_at":T');
  const request = { model: "gpt-x", input: "hi", instructions: "Be brief." };
  /** A Responses translation with both fast paths taken away: every event parsed. */
  const everyEventParsed = (translation: UsageTrackingTranslation) => {
    (translation as unknown as { options: { fast?: unknown } }).options.fast = undefined;
    return parsedOnly(translation);
  };

  it.each([
    { upstream: "Anthropic", sse: anthropicSse, make: anthropicToResponsesTranslation },
    { upstream: "OpenAI", sse: openAISse, make: openAIToResponsesTranslation },
  ])("$upstream upstream → Responses client", async ({ sse: streams, make }) => {
    await fc.assert(
      fc.asyncProperty(streams, cuts, failure, async (sse, points, fail) => {
        const translation = () => make({ backend: "b", request, secrets: [secret] });
        const chunks = cut(Buffer.from(sse), points);
        const options = { dialect: "openai" as const, ...(fail ? { failure: fail } : {}) };
        const fast = await run(translation(), chunks, options);
        const slow = await run(everyEventParsed(translation()), chunks, options);
        expect({ ...fast, text: sameIds(fast.text) }).toEqual({
          ...slow,
          text: sameIds(slow.text),
        });
        expect(fast.text).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });

  it("translates a row of OpenAI text chunks padded differently (obfuscation) at once", async () => {
    const make = () => openAIToAnthropicTranslation({ backend: "b", secrets: [] });
    const translation = make();
    const calls = countFastPaths(translation);
    const padded = (delta: object, i: number) =>
      chunk(delta, null, { obfuscation: "x".repeat(i % 5) });
    let sse = padded({ role: "assistant", content: "" }, 0);
    for (let i = 0; i < 50; i++) sse += padded({ content: `w${i} "é"` }, i);
    sse += "data: [DONE]\n\n";
    const options = { dialect: "anthropic" as const };
    const fast = await run(translation, [Buffer.from(sse)], options);
    const slow = await run(parsedOnly(make()), [Buffer.from(sse)], options);
    expect(fast.text.replace(/"msg_[^"]*"/g, "M")).toBe(slow.text.replace(/"msg_[^"]*"/g, "M"));
    expect(fast.text.match(/"text_delta"/g)).toHaveLength(50);
    // `raw` takes two chunks of different padding (and declines the role chunk and [DONE]);
    // the 48 others go in one run.
    expect(calls).toEqual({ raw: 4, rawRun: 2 });
  });

  it.each([
    {
      upstream: "Anthropic",
      make: anthropicToResponsesTranslation,
      sse: () => {
        let sse = ev({
          type: "message_start",
          message: { ...message, usage: { input_tokens: 3 } },
        });
        sse += textBlockStart(0);
        for (let i = 0; i < 50; i++) sse += textDelta(0, `w${i} "é"`);
        sse += ev({ type: "content_block_stop", index: 0 });
        sse += ev({
          type: "message_delta",
          delta: { stop_reason: "end_turn", stop_sequence: null },
          usage: { output_tokens: 50 },
        });
        return sse + ev({ type: "message_stop" });
      },
      // The five other events are offered raw and declined; the first delta is taken.
      calls: { raw: 6, rawRun: 1 },
    },
    {
      upstream: "OpenAI",
      make: openAIToResponsesTranslation,
      sse: () => {
        // Padded differently chunk by chunk (`obfuscation`), as OpenAI sends them.
        const padded = (delta: object, i: number, finish: string | null = null) =>
          chunk(delta, finish, { obfuscation: "x".repeat(1 + (i % 3)) });
        let sse = padded({ role: "assistant", content: "" }, 0);
        for (let i = 0; i < 50; i++) sse += padded({ content: `w${i} "é"` }, i);
        return `${sse}${padded({}, 0, "stop")}data: [DONE]\n\n`;
      },
      // The first text chunk, taken raw, opens the item; the next one, padded unlike it, is
      // taken raw too; the 48 others go in one run (the role and finish chunks and [DONE]
      // are offered raw and declined).
      calls: { raw: 5, rawRun: 2 },
    },
  ])(
    "translates a row of $upstream text deltas to Responses at once",
    async ({ make, sse, calls: expected }) => {
      const translation = make({ backend: "b", request, secrets: [] });
      const calls = countFastPaths(translation);
      const options = { dialect: "openai" as const };
      const fast = await run(translation, [Buffer.from(sse())], options);
      const slow = await run(
        parsedOnly(make({ backend: "b", request, secrets: [] })),
        [Buffer.from(sse())],
        options,
      );
      expect(sameIds(fast.text)).toBe(sameIds(slow.text));
      expect(fast.text.match(/"response\.output_text\.delta"/g)).toHaveLength(50);
      expect(calls).toEqual(expected);
    },
  );

  it("writes every event of one upstream read in one write, and ends a dead upstream with an error", async () => {
    const translation = anthropicToOpenAITranslation({
      backend: "b",
      includeUsage: false,
      secrets: [],
    });
    // `raw` is offered the two opening events (declined) and the first text delta; the 49
    // deltas after it go through one `rawRun`.
    const calls = countFastPaths(translation);
    let sse = ev({ type: "message_start", message: { ...message, usage: { input_tokens: 1 } } });
    sse += textBlockStart(0);
    for (let i = 0; i < 50; i++) sse += textDelta(0, `w${i}`);
    const sink = new RecordingSink();
    await expect(
      pipeTranslatedStream({
        response: upstream([Buffer.from(sse)], new Error("socket hang up")),
        sink,
        callerDialect: "openai",
        translation,
        backend: "b",
      }),
    ).rejects.toThrow("socket hang up");
    expect(sink.writes).toBe(2); // the 52 events' chunks, then the error
    expect(calls).toEqual({ raw: 3, rawRun: 1 });
    expect(sink.text.match(/"content":"w\d+"/g)).toHaveLength(50);
    expect(sink.text).not.toContain('finish_reason":"');
    expect(sink.text.trimEnd().split("\n\n").at(-1)).toMatch(/^data: \{"error":\{/);
    expect(sink.ended).toBe(true);
  });
});

describe("translated streams: how the answer ended", () => {
  const opening =
    ev({ type: "message_start", message: { ...message, usage: { input_tokens: 1 } } }) +
    textBlockStart(0) +
    textDelta(0, "Hello");
  const badDelta = "event: content_block_delta\ndata: {nope\n\n";
  const closing =
    ev({ type: "content_block_stop", index: 0 }) +
    ev({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 2 } });

  it("sends the events before a bad upstream event of the same read, then the caller's error", async () => {
    // One upstream read: three good events, then one that is not JSON.
    const chat = await run(
      anthropicToOpenAITranslation({ backend: "b", includeUsage: false, secrets: [] }),
      [Buffer.from(opening + badDelta + textDelta(0, "lost"))],
      { dialect: "openai" },
    );
    expect(chat.error).toBeUndefined();
    expect(chat.code).toBe("upstream_bad_response");
    expect(chat.text).toContain('"role":"assistant"');
    expect(chat.text).toContain('"content":"Hello"');
    expect(chat.text).not.toContain("lost");
    expect(chat.text.trimEnd().split("\n\n").at(-1)).toMatch(/^data: \{"error":\{.*not valid JSON/);
    expect(chat.ended).toBe(true);

    const responses = await run(
      anthropicToResponsesTranslation({ backend: "b", request: {} as never, secrets: [] }),
      [Buffer.from(opening + badDelta)],
      { dialect: "openai" },
    );
    expect(responses.code).toBe("upstream_bad_response");
    const events = responses.text
      .trimEnd()
      .split("\n\n")
      .map((e) => JSON.parse(e.slice(e.indexOf("data: ") + 6)));
    expect(events[0].type).toBe("response.created");
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.find((e) => e.type === "response.output_text.delta")?.delta).toBe("Hello");
    expect(events.at(-1).type).toBe("response.failed");
    expect(events.filter((e) => e.type === "response.completed")).toHaveLength(0);

    const anthropic = await run(
      openAIToAnthropicTranslation({ backend: "b", secrets: [] }),
      [
        Buffer.from(
          chunk({ role: "assistant", content: "" }) + chunk({ content: "Hi" }) + "data: {nope\n\n",
        ),
      ],
      { dialect: "anthropic" },
    );
    expect(anthropic.code).toBe("upstream_bad_response");
    expect(anthropic.text.startsWith("event: message_start")).toBe(true);
    expect(anthropic.text).toContain('"text":"Hi"');
    expect(anthropic.text.trimEnd().split("\n\n").at(-1)).toMatch(/^event: error\n/);
  });

  it("reports an upstream error event as upstream_error, redacted, and an early end as upstream_incomplete", async () => {
    const inBand = await run(
      anthropicToOpenAITranslation({ backend: "b", includeUsage: false, secrets: [secret] }),
      [
        Buffer.from(
          opening +
            ev({ type: "error", error: { type: "overloaded_error", message: `busy ${secret}` } }),
        ),
      ],
      { dialect: "openai" },
    );
    expect(inBand.code).toBe("upstream_error");
    expect(inBand.text).not.toContain(secret);
    expect(inBand.text).toContain('"content":"Hello"');

    const chatError = await run(
      openAIToAnthropicTranslation({ backend: "b", secrets: [secret] }),
      [
        Buffer.from(
          chunk({ content: "Hi" }) +
            `data: ${JSON.stringify({ error: { message: `bad ${secret}` } })}\n\n`,
        ),
      ],
      { dialect: "anthropic" },
    );
    expect(chatError.code).toBe("upstream_error");
    expect(chatError.text).not.toContain(secret);

    const failed = {
      type: "response.failed",
      sequence_number: 1,
      response: {
        id: "resp_1",
        status: "failed",
        output: [],
        error: { code: "server_error", message: `key ${secret}` },
      },
    };
    const responsesFailed = await run(
      responsesToOpenAITranslation({ backend: "b", includeUsage: false, secrets: [secret] }),
      [Buffer.from(`event: response.failed\ndata: ${JSON.stringify(failed)}\n\n`)],
      { dialect: "openai" },
    );
    expect(responsesFailed.code).toBe("upstream_error");
    expect(responsesFailed.text).not.toContain(secret);

    // Ended before any stop reason: the closing events are an error terminal.
    const cut = await run(
      anthropicToResponsesTranslation({ backend: "b", request: {} as never, secrets: [] }),
      [Buffer.from(opening)],
      { dialect: "openai" },
    );
    expect(cut.code).toBe("upstream_incomplete");
    expect(cut.text).toContain("response.failed");

    // The stop reason came, only `message_stop` is missing: the answer is whole.
    for (const make of [
      () => anthropicToResponsesTranslation({ backend: "b", request: {} as never, secrets: [] }),
      () => anthropicToOpenAITranslation({ backend: "b", includeUsage: false, secrets: [] }),
    ]) {
      const whole = await run(make(), [Buffer.from(opening + closing)], { dialect: "openai" });
      expect(whole.code).toBeUndefined();
      expect(whole.text).not.toMatch(/"error":\{|response\.failed/);
      const complete = await run(
        make(),
        [Buffer.from(opening + closing + ev({ type: "message_stop" }))],
        {
          dialect: "openai",
        },
      );
      expect(complete.code).toBeUndefined();
    }
  });
});

describe("translated streams: an event past the reader's bound", () => {
  it("ends with the caller's error naming the event, as upstream_bad_response", async () => {
    const piece = Buffer.alloc(1024 * 1024, 0x61);
    const head = Buffer.from(
      ev({ type: "message_start", message: { ...message, usage: { input_tokens: 3 } } }) +
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"',
    );
    const sink = new RecordingSink();
    const error = await pipeTranslatedStream({
      response: upstream([head, ...Array.from({ length: 17 }, () => piece)]),
      sink,
      callerDialect: "openai",
      translation: anthropicToOpenAITranslation({ backend: "b", includeUsage: false, secrets: [] }),
      backend: "b",
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "upstream_bad_response", usage: { inputTokens: 3 } });
    expect(String((error as Error).message)).toMatch(
      /^upstream b sent a stream event switchyard cannot read/,
    );
    expect(sink.text.trimEnd().split("\n\n").at(-1)).toMatch(/^data: \{"error":\{.*cannot read/);
    expect(sink.ended).toBe(true);
  });
});
