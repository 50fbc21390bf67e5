import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createOpenAITextDeltaEventScanner } from "./openai-text-delta.js";
import {
  isOfShape,
  openAITextDeltaLiterals,
  openAITextDeltaShape,
} from "./openai-text-delta-run.js";

/**
 * What the per-event scanner takes from `start` on, framed as an SseReader frames events,
 * up to the first event not of the shape (`shaped` says which are, in order).
 */
function eventByEvent(text: string, start: number, shaped?: boolean[]) {
  const scan = createOpenAITextDeltaEventScanner();
  let out = "";
  let i = start;
  for (let n = 0; ; n++) {
    const blank = text.indexOf("\n\n", i);
    if (blank < 0 || shaped?.[n] === false) break;
    const literal = scan(text, i, blank + 2);
    if (literal === undefined) break;
    out += `<${literal}>`;
    i = blank + 2;
  }
  return { out, end: i };
}

function run(text: string, first: number, start: number) {
  const shape = openAITextDeltaShape(text, first, start);
  if (shape === undefined) return undefined;
  const literals: string[] = [];
  const end = openAITextDeltaLiterals(shape, text, start, literals);
  return { out: literals.map((literal) => `<${literal}>`).join(""), end };
}

/** Strings made of what matters to a JSON string literal. */
const jsonish = fc
  .array(fc.constantFrom('"', "\\", "u", "0", "a", "n", "/", "\n", "\u0001", "é", "😀", " ", "$"), {
    maxLength: 8,
  })
  .map((parts) => parts.join(""));
const value = fc.oneof(fc.string({ unit: "binary", maxLength: 8 }), jsonish);

/** One server's chunk shape: its extra keys, their order, its spacing. */
const shapeOf = fc.record({
  extra: fc.subarray(["system_fingerprint", "obfuscation", "service_tier", "usage", "logprobs"]),
  idFirst: fc.boolean(),
  createdAs: fc.constantFrom("int", "float", "string"),
  space: fc.constantFrom("", "", " "),
  /** `choices` after every varying value (the text after the literal is the same in each chunk). */
  choicesLast: fc.boolean(),
});
type Shape = typeof shapeOf extends fc.Arbitrary<infer T> ? T : never;

/** A chunk of `shape` with these varying values (`id` as JSON text) and this delta (JSON text). */
function chunk(
  shape: Shape,
  v: { id: string; model: string; n: number; pad: string },
  delta: string,
  finish = "null",
) {
  const s = shape.space;
  const created =
    shape.createdAs === "int"
      ? String(v.n)
      : shape.createdAs === "float"
        ? `${v.n}.5e1`
        : JSON.stringify(String(v.n));
  const members = [
    `"object":${s}"chat.completion.chunk"`,
    `"created":${s}${created}`,
    `"model":${s}${JSON.stringify(v.model)}`,
  ];
  const id = `"id":${s}${v.id}`;
  if (shape.idFirst) members.unshift(id);
  else members.push(id);
  for (const key of shape.extra) {
    if (key === "usage" || key === "logprobs") members.push(`"${key}":null`);
    else if (key === "obfuscation") members.push(`"obfuscation":${JSON.stringify(v.pad)}`);
    else members.push(`"${key}":${JSON.stringify(key === "service_tier" ? "default" : v.model)}`);
  }
  members.splice(
    shape.choicesLast ? members.length : 2,
    0,
    `"choices":${s}[{"index":0,${s}"delta":${delta},"finish_reason":${finish}}]`,
  );
  return `data: {${members.join(`,${s}`)}}\n\n`;
}

/** The values that vary; an `id` may also be raw text between quotes (maybe not a literal). */
const varying = fc.record({
  id: fc.oneof(
    value.map((t) => JSON.stringify(t)),
    jsonish.map((t) => `"${t}"`),
  ),
  model: value,
  n: fc.nat(),
  pad: value,
});
/** A chunk's delta and finish reason; `shaped` when only its content differs from the first's. */
const delta = fc.oneof(
  {
    weight: 8,
    arbitrary: value.map((t) => ({
      d: `{"content":${JSON.stringify(t)}}`,
      f: "null",
      shaped: true,
    })),
  },
  {
    weight: 2,
    arbitrary: jsonish.map((t) => ({ d: `{"content":"${t}"}`, f: "null", shaped: true })),
  },
  fc.constantFrom(
    { d: '{"content":""}', f: "null", shaped: true },
    { d: '{"content":"x"}', f: '"stop"', shaped: false },
    { d: '{"role":"assistant","content":"x"}', f: "null", shaped: false },
    { d: '{"content":"x","refusal":"no"}', f: "null", shaped: false },
    { d: '{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}', f: "null", shaped: false },
  ),
);

describe("openAITextDeltaLiterals", () => {
  it("takes the text chunks of the shape in a row, with the literals the per-event scanner finds", () => {
    fc.assert(
      fc.property(
        shapeOf,
        varying,
        value,
        fc.array(fc.tuple(varying, delta), { maxLength: 10 }),
        (shape, v0, text0, rest) => {
          const first = chunk(
            shape,
            { ...v0, id: JSON.stringify(v0.id) },
            `{"content":${JSON.stringify(`${text0}.`)}}`,
          );
          const sse = first + rest.map(([v, d]) => chunk(shape, v, d.d, d.f)).join("");
          const got = run(sse, 0, first.length);
          expect(got).toBeDefined();
          const shaped = rest.map(([, d]) => d.shaped);
          expect(got).toEqual(eventByEvent(sse, first.length, shaped));
          expect(isOfShape(openAITextDeltaShape(sse, 0, first.length)!, sse, 0, first.length)).toBe(
            true,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("takes no chunk of another shape, and declines a shape whose key comes twice", () => {
    const shape: Shape = {
      extra: [],
      idFirst: true,
      createdAs: "int",
      space: "",
      choicesLast: false,
    };
    const v = { id: '"c"', model: "m", n: 1, pad: "" };
    const first = chunk(shape, v, '{"content":"a"}');
    const other = chunk({ ...shape, extra: ["usage"] }, v, '{"content":"b"}');
    expect(run(first + other, 0, first.length)).toEqual({ out: "", end: first.length });
    const twice = first.replace('"object"', '"x":{"content":1},"object"');
    expect(openAITextDeltaShape(twice, 0, twice.length)).toBeUndefined();
  });

  // The literal is found from its key (text after it varies) or from the event's end.
  it.each([
    ["a padded chunk", false],
    ["a chunk ending in choices", true],
  ])(
    "reads a run longer than its window in several calls, each ending on a chunk: %s",
    (_, choicesLast) => {
      const shape: Shape = {
        extra: ["obfuscation"],
        idFirst: true,
        createdAs: "int",
        space: "",
        choicesLast,
      };
      const events = Array.from({ length: 1500 }, (_, i) =>
        chunk(
          shape,
          { id: '"c"', model: "m", n: 1, pad: "x".repeat(i % 9) },
          `{"content":"w${i} \\"é"}`,
        ),
      );
      const sse = events.join("");
      const shapeOfFirst = openAITextDeltaShape(sse, 0, (events[0] as string).length);
      let out = "";
      let i = (events[0] as string).length;
      let calls = 0;
      for (;;) {
        const literals: string[] = [];
        const next = openAITextDeltaLiterals(shapeOfFirst!, sse, i, literals);
        if (next === i) break;
        out += literals.map((literal) => `<${literal}>`).join("");
        i = next;
        calls++;
      }
      expect(calls).toBeGreaterThan(1);
      expect({ out, end: i }).toEqual(eventByEvent(sse, (events[0] as string).length));
      expect(i).toBe(sse.length);
    },
  );
});
