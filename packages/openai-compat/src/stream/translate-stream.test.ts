import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIXTURES, readFixtureBytes, readFixtureChunks } from "../__fixtures__/read-fixture.js";
import { collect, from, splitAt } from "../__fixtures__/stream-arbitraries.js";
import {
  createAnthropicToOpenAITransformStream,
  createOpenAIToAnthropicTransformStream,
  translateAnthropicStreamToOpenAI,
  translateOpenAIStreamToAnthropic,
} from "./translate-stream.js";

const now = () => 1_763_748_000_000;

const directions = [
  ...FIXTURES.anthropic.map((name) => ({
    fixture: `anthropic-${name}`,
    run: (source: AsyncIterable<Uint8Array | string>) =>
      collect(translateAnthropicStreamToOpenAI(source, { now, includeUsage: true })),
  })),
  ...FIXTURES.openai.map((name) => ({
    fixture: `openai-${name}`,
    run: (source: AsyncIterable<Uint8Array | string>) =>
      collect(translateOpenAIStreamToAnthropic(source, { generateMessageId: () => "msg_fixed" })),
  })),
];

describe("stream adapters", () => {
  for (const { fixture, run } of directions) {
    it(`${fixture}: any byte split (incl. mid code point) gives the same output`, async () => {
      const bytes = readFixtureBytes(fixture);
      const expected = await run(from(readFixtureChunks(fixture)));
      expect(expected.length).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(), { maxLength: 40 }), async (cuts) => {
          expect(await run(from(splitAt(bytes, cuts)))).toBe(expected);
        }),
        { numRuns: 60 },
      );
      // One byte at a time is the harshest split.
      expect(await run(from(splitAt(bytes, [...bytes.keys()])))).toBe(expected);
    });
  }

  it("the TransformStream variants produce the same bytes as the iterators", async () => {
    for (const [fixture, transform, iterate] of [
      [
        "anthropic-parallel-tool-calls",
        createAnthropicToOpenAITransformStream({ now }),
        translateAnthropicStreamToOpenAI,
      ],
      [
        "openai-interleaved-tool-calls",
        createOpenAIToAnthropicTransformStream(),
        translateOpenAIStreamToAnthropic,
      ],
    ] as const) {
      const source = new Response(readFixtureBytes(fixture)).body!;
      const text = await new Response(source.pipeThrough(transform)).text();
      expect(text).toBe(await collect(iterate(from(readFixtureChunks(fixture)), { now })));
    }
  });

  it("stops reading and cancels a ReadableStream source once the translation has ended", async () => {
    let cancelled = false;
    let pulls = 0;
    const chunks = readFixtureChunks("anthropic-error");
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[pulls++];
        // After the recorded error, keep producing junk forever: it must never be read.
        controller.enqueue(
          new TextEncoder().encode(chunk ?? 'event: ping\ndata: {"type":"ping"}\n\n'),
        );
      },
      cancel() {
        cancelled = true;
      },
    });
    const text = await collect(translateAnthropicStreamToOpenAI(source));
    expect(text.trimEnd().endsWith('"code":"overloaded"}}')).toBe(true);
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThan(chunks.length + 3);
  });

  it("cancels the upstream when the consumer stops early", async () => {
    let cancelled = false;
    const chunks = readFixtureChunks("openai-text");
    let i = 0;
    const source = new ReadableStream<string>({
      pull(controller) {
        controller.enqueue(chunks[i++ % chunks.length]!);
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const text of translateOpenAIStreamToAnthropic(source as ReadableStream<never>)) {
      expect(text).toContain("message_start");
      break;
    }
    expect(cancelled).toBe(true);
  });

  it("a source that throws mid-stream ends with a protocol error, not a success", async () => {
    async function* dying() {
      yield* readFixtureChunks("openai-text").slice(0, 2);
      throw new Error("socket hang up (token sk-live-secret)");
    }
    const text = await collect(translateOpenAIStreamToAnthropic(dying()));
    expect(
      text.endsWith(
        'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"upstream stream failed"}}\n\n',
      ),
    ).toBe(true);
    expect(text).not.toContain("sk-live-secret");
    expect(text).not.toContain("message_stop");
  });

  it("malformed JSON in an event ends the stream with an error", async () => {
    const text = await collect(
      translateAnthropicStreamToOpenAI(from(["event: message_start\ndata: {not json\n\n"])),
    );
    expect(text).toBe(
      'data: {"error":{"message":"upstream sent a malformed stream event","type":"server_error","param":null,"code":null}}\n\n',
    );
  });

  it("accepts a Node Readable of Buffers (e.g. an undici.request body)", async () => {
    const fixture = "anthropic-tool-call";
    const buffers = readFixtureChunks(fixture).map((chunk) => Buffer.from(chunk, "utf8"));
    const text = await collect(translateAnthropicStreamToOpenAI(Readable.from(buffers), { now }));
    expect(text).toBe(
      await collect(translateAnthropicStreamToOpenAI(from(readFixtureChunks(fixture)), { now })),
    );
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  });
});
