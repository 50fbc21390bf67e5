import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";
import { createOpenAITextDeltaEventScanner, openAITextDeltaLiteral } from "./openai-text-delta.js";
import { createOpenAIToAnthropicStreamTranslator } from "./openai-to-anthropic.js";
import { serializeAnthropicStreamEvent } from "./serialize.js";

const chunk = (delta: object, extra: object = {}) =>
  JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-x",
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  });

/** What the translator makes of `data`: the text of a text-only chunk, else undefined. */
function oracle(data: string): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return undefined;
  }
  const isObject = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x);
  const nullish = (x: unknown) => x === undefined || x === null;
  if (!isObject(v) || "error" in v || !nullish(v.usage)) return undefined;
  if (v.object === "error" || v.type === "error") return undefined;
  if (!Array.isArray(v.choices) || v.choices.length !== 1) return undefined;
  const choice: unknown = v.choices[0];
  if (!isObject(choice) || (choice.index !== undefined && choice.index !== 0)) return undefined;
  if (!nullish(choice.finish_reason) || !isObject(choice.delta)) return undefined;
  const d = choice.delta;
  for (const key of ["refusal", "reasoning_content", "reasoning", "tool_calls"]) {
    if (!nullish(d[key])) return undefined;
  }
  return typeof d.content === "string" && d.content.length > 0 ? d.content : undefined;
}

/** JSON text of an object from `[key, value text]` members, spaced by `gaps`. */
const objectText = (members: [string, string][], gap: string) =>
  `{${gap}${members.map(([k, v]) => `${JSON.stringify(k)}${gap}:${gap}${v}`).join(`,${gap}`)}${gap}}`;

const anyText = fc.string({ unit: "binary", maxLength: 12 });
const gap = fc.constantFrom("", "", "", " ", "\n", "\t ", "\r\n");
const member = (key: string, values: fc.Arbitrary<string>) =>
  values.map((v) => [key, v] as [string, string]);
const json = (x: fc.Arbitrary<unknown>) => x.map((v) => JSON.stringify(v));

/**
 * One `required` member (the shape of a text delta) at a random place among random others,
 * duplicates possible; or, now and then, only the others.
 */
const members = (
  required: fc.Arbitrary<[string, string]>,
  pool: fc.Arbitrary<[string, string]>[],
) =>
  fc
    .tuple(required, fc.array(fc.oneof(...pool), { maxLength: 4 }), fc.nat(), fc.nat(9))
    .map(([first, others, at, drop]) => {
      const all = [...others];
      if (drop > 0) all.splice(at % (all.length + 1), 0, first);
      return all;
    });

const deltaText = fc
  .tuple(
    members(member("content", json(anyText)), [
      member("content", fc.oneof(json(anyText), json(fc.constant(null)), json(fc.integer()))),
      member("role", json(fc.constantFrom("assistant", "user"))),
      member("refusal", json(fc.constantFrom(null, "no", ""))),
      member("reasoning_content", json(fc.constantFrom(null, "hm", ""))),
      member("reasoning", json(fc.constantFrom(null, "hm"))),
      member("tool_calls", json(fc.constantFrom(null, [], [{ index: 0 }]))),
      member("function_call", json(fc.constantFrom(null, { name: "f" }))),
      member("cont\\u0065nt", json(anyText)),
    ]),
    gap,
  )
  .map(([m, g]) => objectText(m, g).replace('"cont\\\\u0065nt"', '"cont\\u0065nt"'));

const choiceText = fc
  .tuple(
    members(member("delta", deltaText), [
      member("index", fc.constantFrom("0", "0", "1", "0.0", "-0", '"0"', "00")),
      member("delta", deltaText),
      member("finish_reason", json(fc.constantFrom(null, "stop", "length", ""))),
      member("logprobs", json(fc.constantFrom(null, { content: [] }))),
      member("native_finish_reason", json(fc.constantFrom(null, "STOP"))),
    ]),
    gap,
  )
  .map(([m, g]) => objectText(m, g));

const chunkText = fc
  .tuple(
    members(
      member(
        "choices",
        choiceText.map((c) => `[${c}]`),
      ),
      [
        member("id", json(anyText)),
        member("object", json(fc.constantFrom("chat.completion.chunk", "error"))),
        member("type", json(fc.constantFrom("x", "error"))),
        member("created", fc.constantFrom("1", "1.5e3", "-2", "01", "1.", "true")),
        member("obfuscation", json(anyText)),
        member("usage", json(fc.constantFrom(null, { prompt_tokens: 1 }, 0))),
        member("error", json(fc.constantFrom(null, { message: "x" }))),
        member(
          "choices",
          fc.array(choiceText, { maxLength: 2 }).map((c) => `[${c.join(",")}]`),
        ),
        member("nested", json(fc.jsonValue({ maxDepth: 3 }))),
      ],
    ),
    gap,
    gap,
  )
  .map(([m, g, outer]) => `${outer}${objectText(m, g)}${outer}`);

/** A text-only chunk with one character inserted, removed or replaced. */
const mutated = fc
  .tuple(
    fc.tuple(anyText, fc.constantFrom({}, { logprobs: null }), fc.boolean()),
    fc.nat(),
    fc.constantFrom("", '"', "\\", "{", "}", "[", "]", ",", ":", "0", " ", "\n", "\u0001", "u"),
    fc.constantFrom(0, 1),
  )
  .map(([[text, extra, role], at, char, drop]) => {
    const data = chunk(
      role ? { role: "assistant", content: `x${text}` } : { content: text },
      extra,
    );
    const k = at % (data.length + 1);
    return data.slice(0, k) + char + data.slice(k + drop);
  });

describe("openAITextDeltaLiteral", () => {
  it("finds the literal of every text-only chunk JSON.stringify makes", () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, obfuscated) => {
        const data = chunk({ content: text }, obfuscated ? { obfuscation: text } : {});
        expect(openAITextDeltaLiteral(data)).toBe(text === "" ? undefined : JSON.stringify(text));
      }),
      { numRuns: 500 },
    );
  });

  it("never accepts what the translator would read differently (random chunk shapes)", () => {
    let accepted = 0;
    fc.assert(
      fc.property(chunkText, (data) => {
        const literal = openAITextDeltaLiteral(data);
        if (literal === undefined) return;
        accepted++;
        expect(JSON.parse(literal)).toBe(oracle(data));
      }),
      { numRuns: 6000 },
    );
    // The generator is biased towards text deltas: a fair share must take the fast path. About
    // one chunk in 25 is one (103–141 of 3,000 in eight runs, so 3,000 runs fell under this
    // bound now and then); 6,000 runs keep it far above.
    expect(accepted).toBeGreaterThan(100);
  });

  it("never accepts a damaged chunk that JSON.parse rejects or reads differently", () => {
    fc.assert(
      fc.property(mutated, (data) => {
        const literal = openAITextDeltaLiteral(data);
        if (literal !== undefined) expect(JSON.parse(literal)).toBe(oracle(data));
      }),
      { numRuns: 3000 },
    );
  });

  it("accepts the shapes real servers send, declines the rest", () => {
    const accepted = [
      // OpenAI, with stream obfuscation and usage: null (include_usage)
      '{"id":"chatcmpl-A","object":"chat.completion.chunk","created":1,"model":"gpt-4o","service_tier":"default","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"x1Y"}',
      // Ollama: role on every delta
      '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"llama","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}',
      // vLLM: reasoning_content null
      '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" \\u003c\\ud83d\\ude00","reasoning_content":null},"logprobs":null,"finish_reason":null}]}',
    ];
    for (const data of accepted) {
      const literal = openAITextDeltaLiteral(data);
      expect(literal).toBeDefined();
      expect(JSON.parse(literal as string)).toBe(oracle(data));
    }
    const declined = [
      chunk({ content: "" }),
      chunk({ role: "assistant" }),
      chunk({ content: "a", refusal: "no" }),
      chunk({ content: "a", tool_calls: [] }),
      chunk({ content: "a" }, { usage: { prompt_tokens: 1 } }),
      '{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}',
      '{"choices":[{"index":1,"delta":{"content":"a"}}]}',
      '{"choices":[{"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}',
      '{"error":{"message":"x"},"choices":[{"delta":{"content":"a"}}]}',
      '{"choices":[{"delta":{"content":"a"}}]} x',
      '{"choices":[{"delta":{"content":"a","cont\\u0065nt":"b"}}]}',
      // Only an escaped `content` key: refused by the search for `"content"`, as a walk would.
      '{"choices":[{"delta":{"cont\\u0065nt":"a"}}]}',
      // A stream's finish and usage chunks (no `"content"` at all).
      '{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
      '{"id":"c","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":9}}',
      '{"choices":[{"delta":{"content":"a"},"delta":{"role":"assistant"}}]}',
      '{"choices":[{"delta":{"content":"a"}}],"choices":[{"index":0}]}',
      '{"choices":[{"delta":{"content":"a\u0001"}}]}',
      "[DONE]",
    ];
    for (const data of declined) expect(openAITextDeltaLiteral(data)).toBeUndefined();
  });
});

describe("OpenAIToAnthropicStreamTranslator.textDeltaSse", () => {
  const role: OpenAIStreamItem = JSON.parse(chunk({ role: "assistant", content: "" }));

  it("gives exactly what push + serialize give, for any text", () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 5 }), (texts) => {
        const slow = createOpenAIToAnthropicStreamTranslator({ generateMessageId: () => "m" });
        const fast = createOpenAIToAnthropicStreamTranslator({ generateMessageId: () => "m" });
        slow.push(role);
        fast.push(role);
        const opening = chunk({ content: "open" });
        slow.push(JSON.parse(opening));
        fast.push(JSON.parse(opening));
        for (const text of texts) {
          const data = chunk({ content: text });
          const expected = slow.push(JSON.parse(data)).map(serializeAnthropicStreamEvent).join("");
          const got = fast.textDeltaSse(data);
          if (text === "") expect(got).toBeUndefined();
          else expect(got).toBe(expected);
        }
      }),
    );
  });

  it("declines before the message started and after the stream ended", () => {
    const translator = createOpenAIToAnthropicStreamTranslator();
    const data = chunk({ content: "a" });
    expect(translator.textDeltaSse(data)).toBeUndefined(); // push takes id and model from it
    translator.push(role);
    expect(translator.textDeltaSse(data)).toBeDefined();
    translator.error(new Error("x"));
    expect(translator.textDeltaSse(data)).toBeUndefined();
  });

  it("opens the text block as push does: none open, after a thinking block, after a tool call", () => {
    const before = [
      [],
      [chunk({ reasoning_content: "hm" })],
      [chunk({ tool_calls: [{ index: 0, id: "c1", function: { name: "f", arguments: "{}" } }] })],
      // A call without its name yet stays queued: the text block opens it first.
      [chunk({ tool_calls: [{ index: 0, id: "c1", function: { arguments: '{"a"' } }] })],
    ];
    for (const chunks of before) {
      const slow = createOpenAIToAnthropicStreamTranslator({ generateToolId: () => "t" });
      const fast = createOpenAIToAnthropicStreamTranslator({ generateToolId: () => "t" });
      for (const c of [role, ...chunks.map((d) => JSON.parse(d))]) {
        slow.push(c);
        fast.push(c);
      }
      const data = chunk({ content: "a\u00e9" });
      const expected = slow.push(JSON.parse(data)).map(serializeAnthropicStreamEvent).join("");
      expect(expected).toContain("content_block_start");
      expect(fast.textDeltaSse(data)).toBe(expected);
      const next = chunk({ content: "b" });
      expect(fast.textDeltaSse(next)).toBe(
        slow.push(JSON.parse(next)).map(serializeAnthropicStreamEvent).join(""),
      );
    }
  });
});

describe("createOpenAITextDeltaEventScanner", () => {
  /** `data` as one SSE event between other text, and the range the reader would give it. */
  const framed = (data: string, before: string) => {
    const text = `${before}data: ${data}\n\ndata: next\n\n`;
    return [text, before.length, text.indexOf("\n\n", before.length) + 2] as const;
  };
  const anyChunk = fc.oneof(
    chunkText,
    mutated,
    fc
      .tuple(anyText, fc.constantFrom({}, { obfuscation: "ab" }))
      .map(([t, x]) => chunk({ content: t }, x)),
  );

  it("answers as openAITextDeltaLiteral for every one-line chunk, whatever came before", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(anyChunk, fc.constantFrom("", "x\n\n")), { maxLength: 8 }),
        (chunks) => {
          const scan = createOpenAITextDeltaEventScanner();
          for (const [data, before] of chunks) {
            if (/[\r\n]/.test(data)) continue; // the reader frames those differently (or not at all)
            expect(scan(...framed(data, before))).toBe(openAITextDeltaLiteral(data));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("reports each chunk it takes that is not shaped as the one before", () => {
    let reshapes = 0;
    const scan = createOpenAITextDeltaEventScanner(() => {
      reshapes++;
    });
    const taken = (data: string) => {
      expect(scan(...framed(data, ""))).toBeDefined();
      return reshapes;
    };
    expect(taken(chunk({ content: "a" }))).toBe(1); // the first
    expect(taken(chunk({ content: "bc" }))).toBe(1); // same bytes around its text
    expect(taken(chunk({ content: "d" }, { obfuscation: "x" }))).toBe(2); // another end
    expect(taken(chunk({ content: "e" }, { obfuscation: "yz" }))).toBe(3);
    expect(taken(chunk({ content: "f" }, { obfuscation: "yz" }))).toBe(3);
    expect(taken(chunk({ content: "g" }).replace("gpt-x", "gpt-y"))).toBe(4); // another start
    expect(scan(...framed(chunk({ content: "" }), ""))).toBeUndefined();
    expect(reshapes).toBe(4); // a declined chunk is not reported
  });

  it("declines an event with more than one line or another field", () => {
    const scan = createOpenAITextDeltaEventScanner();
    const data = chunk({ content: "a" });
    expect(scan(...framed(data, ""))).toBe('"a"');
    for (const text of [
      `data: ${data.replace(",", ",\n")}\n\n`,
      `data:${data}\n\n`,
      `event: x\ndata: ${data}\n\n`,
      `data: ${data}\nid: 1\n\n`,
      `data: ${data.replace('"a"', '"a\nb"')}\n\n`,
    ]) {
      expect(scan(text, 0, text.indexOf("\n\n") + 2)).toBeUndefined();
    }
    // The kept prefix matches, the rest is cut short by the blank line: declined.
    const cutShort = `data: ${data.slice(0, data.indexOf('"a"') + 2)}\n\n"}}]}\n\n`;
    expect(scan(cutShort, 0, cutShort.indexOf("\n\n") + 2)).toBeUndefined();
  });
});
