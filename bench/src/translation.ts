/**
 * Stream translation throughput: SSE bytes → parse → translate → serialise, in both
 * directions, against a floor of plain `JSON.parse` + `JSON.stringify` of the same events
 * measured in the same process. Target: translator time ≤ 2× the floor.
 */
import {
  createAnthropicToOpenAIStreamTranslator,
  createOpenAIToAnthropicStreamTranslator,
  createSseDecoder,
  parseAnthropicStreamData,
  parseOpenAIStreamData,
  serializeAnthropicStreamEvent,
  serializeOpenAIStreamItem,
  translateAnthropicStreamToOpenAI,
  translateOpenAIStreamToAnthropic,
} from "@switchyard/openai-compat";

const TEXT_EVENTS = 16_000;
const TOOL_EVENTS = 4_000;
const CHUNK_BYTES = 4096;
const ROUNDS = 15;

const WORDS = [
  "The",
  " quick",
  " brown",
  " fox",
  " — ",
  "jumps",
  " over",
  " 東京",
  " the",
  " lazy",
  " dog 🐕",
  ".",
];

function anthropicStream(): string[] {
  const ev = (type: string, body: object) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
  const out = [
    ev("message_start", {
      message: {
        id: "msg_bench",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 1200, cache_read_input_tokens: 800, output_tokens: 1 },
      },
    }),
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  ];
  for (let i = 0; i < TEXT_EVENTS; i++) {
    out.push(
      ev("content_block_delta", {
        index: 0,
        delta: { type: "text_delta", text: WORDS[i % WORDS.length] },
      }),
    );
  }
  out.push(ev("content_block_stop", { index: 0 }));
  out.push(
    ev("content_block_start", {
      index: 1,
      content_block: { type: "tool_use", id: "toolu_b", name: "write_file", input: {} },
    }),
  );
  out.push(
    ev("content_block_delta", {
      index: 1,
      delta: { type: "input_json_delta", partial_json: '{"text": "' },
    }),
  );
  for (let i = 0; i < TOOL_EVENTS; i++) {
    out.push(
      ev("content_block_delta", {
        index: 1,
        delta: { type: "input_json_delta", partial_json: `line ${i}\\n` },
      }),
    );
  }
  out.push(
    ev("content_block_delta", {
      index: 1,
      delta: { type: "input_json_delta", partial_json: '"}' },
    }),
  );
  out.push(ev("content_block_stop", { index: 1 }));
  out.push(
    ev("message_delta", {
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { output_tokens: 20_000 },
    }),
  );
  out.push(ev("message_stop", {}));
  return out;
}

function openaiStream(): string[] {
  const base = {
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: 1763748000,
    model: "gpt-4o",
  };
  const ev = (choices: object[], extra: object = {}) =>
    `data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`;
  const ch = (delta: object, finish_reason: string | null = null) => [
    { index: 0, delta, logprobs: null, finish_reason },
  ];
  const out = [ev(ch({ role: "assistant", content: "" }))];
  for (let i = 0; i < TEXT_EVENTS; i++) out.push(ev(ch({ content: WORDS[i % WORDS.length] })));
  out.push(
    ev(
      ch({
        tool_calls: [
          {
            index: 0,
            id: "call_b",
            type: "function",
            function: { name: "write_file", arguments: '{"text": "' },
          },
        ],
      }),
    ),
  );
  for (let i = 0; i < TOOL_EVENTS; i++) {
    out.push(ev(ch({ tool_calls: [{ index: 0, function: { arguments: `line ${i}\\n` } }] })));
  }
  out.push(ev(ch({ tool_calls: [{ index: 0, function: { arguments: '"}' } }] })));
  out.push(ev(ch({}, "tool_calls")));
  out.push(
    ev([], { usage: { prompt_tokens: 2000, completion_tokens: 20_000, total_tokens: 22_000 } }),
  );
  out.push("data: [DONE]\n\n");
  return out;
}

/** Cuts the encoded stream into fixed-size network reads (splitting events and code points). */
function toChunks(events: string[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(events.join(""));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES)
    chunks.push(bytes.subarray(i, i + CHUNK_BYTES));
  return chunks;
}

/** The `data:` payloads alone: what the floor parses and stringifies. */
function payloads(events: string[]): string[] {
  return events.map((e) => e.slice(e.indexOf("data: ") + 6, -2)).filter((d) => d !== "[DONE]");
}

function floor(data: string[]): number {
  let bytes = 0;
  for (let i = 0; i < data.length; i++)
    bytes += JSON.stringify(JSON.parse(data[i] as string)).length;
  return bytes;
}

function anthropicToOpenAISync(chunks: Uint8Array[]): number {
  const decoder = createSseDecoder();
  const translator = createAnthropicToOpenAIStreamTranslator({ includeUsage: true });
  let bytes = 0;
  for (const chunk of chunks) {
    for (const m of decoder.push(chunk)) {
      for (const item of translator.push(parseAnthropicStreamData(m.data)))
        bytes += serializeOpenAIStreamItem(item).length;
    }
  }
  for (const item of translator.finish()) bytes += serializeOpenAIStreamItem(item).length;
  return bytes;
}

function openAIToAnthropicSync(chunks: Uint8Array[]): number {
  const decoder = createSseDecoder();
  const translator = createOpenAIToAnthropicStreamTranslator();
  let bytes = 0;
  for (const chunk of chunks) {
    for (const m of decoder.push(chunk)) {
      for (const event of translator.push(parseOpenAIStreamData(m.data)))
        bytes += serializeAnthropicStreamEvent(event).length;
    }
  }
  for (const event of translator.finish()) bytes += serializeAnthropicStreamEvent(event).length;
  return bytes;
}

async function* iterate(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function adapter(
  translate: (s: AsyncIterable<Uint8Array>) => AsyncIterable<string>,
  chunks: Uint8Array[],
) {
  let bytes = 0;
  for await (const text of translate(iterate(chunks))) bytes += text.length;
  return bytes;
}

/**
 * Best wall time in ms of each function over ROUNDS rounds, the functions taking turns in
 * every round so that load from other processes hits them alike (the minimum filters it out).
 */
async function timeEach(fns: Array<() => unknown>): Promise<number[]> {
  for (const fn of fns) await fn(); // warm-up
  const best = fns.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < fns.length; i++) {
      const start = performance.now();
      await (fns[i] as () => unknown)();
      best[i] = Math.min(best[i] as number, performance.now() - start);
    }
  }
  return best;
}

/** Runs the translation benchmark and prints its table. */
export async function run(): Promise<void> {
  const rows: string[][] = [];
  const cases = [
    {
      name: "anthropic → openai",
      events: anthropicStream(),
      sync: anthropicToOpenAISync,
      translate: (s: AsyncIterable<Uint8Array>) =>
        translateAnthropicStreamToOpenAI(s, { includeUsage: true }),
    },
    {
      name: "openai → anthropic",
      events: openaiStream(),
      sync: openAIToAnthropicSync,
      translate: (s: AsyncIterable<Uint8Array>) => translateOpenAIStreamToAnthropic(s),
    },
  ];
  for (const c of cases) {
    const chunks = toChunks(c.events);
    const data = payloads(c.events);
    const [floorMs = 0, syncMs = 0, iterMs = 0] = await timeEach([
      () => floor(data),
      () => c.sync(chunks),
      () => adapter(c.translate, chunks),
    ]);
    const n = c.events.length;
    const rate = (ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("en-US")}`;
    rows.push([
      c.name,
      "floor: JSON.parse+stringify",
      String(n),
      floorMs.toFixed(1),
      rate(floorMs),
      "1.00×",
    ]);
    rows.push([
      c.name,
      "translator (sync pipeline)",
      String(n),
      syncMs.toFixed(1),
      rate(syncMs),
      `${(syncMs / floorMs).toFixed(2)}×`,
    ]);
    rows.push([
      c.name,
      "translator (async adapter)",
      String(n),
      iterMs.toFixed(1),
      rate(iterMs),
      `${(iterMs / floorMs).toFixed(2)}×`,
    ]);
  }
  const header = ["direction", "pipeline", "events", "best ms", "events/s", "vs floor"];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
  console.log(
    `\nbest of ${ROUNDS} rounds; ${CHUNK_BYTES}-byte reads; target: translator ≤ 2× floor`,
  );
}
