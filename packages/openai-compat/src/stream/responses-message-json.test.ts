import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonTextCache } from "./json-text-cache.js";
import { messageEventJson, outputJson } from "./responses-message-json.js";

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 90 }),
  fc.constantFrom("", '"\\', "\u0000\ud83d", "é😀\u2028".repeat(40)),
);

const part = (t: string) => ({ type: "output_text", text: t, annotations: [], logprobs: [] });
const message = (id: string, status: string, t: string | undefined) => ({
  type: "message",
  id,
  role: "assistant",
  status,
  content: t === undefined ? [] : [part(t)],
});

/** The five message-item events exactly as the translators build them. */
const events = fc
  .record({ id: text, t: text, index: fc.nat(5), seq: fc.nat(1000), started: fc.boolean() })
  .map(({ id, t, index, seq, started }) => [
    {
      type: "response.output_item.added",
      output_index: index,
      item: message(id, "in_progress", started ? undefined : t),
      sequence_number: seq,
    },
    {
      type: "response.content_part.added",
      item_id: id,
      output_index: index,
      content_index: 0,
      part: part(""),
      sequence_number: seq + 1,
    },
    {
      type: "response.output_text.done",
      item_id: id,
      output_index: index,
      content_index: 0,
      text: t,
      logprobs: [],
      sequence_number: seq + 2,
    },
    {
      type: "response.content_part.done",
      item_id: id,
      output_index: index,
      content_index: 0,
      part: part(t),
      sequence_number: seq + 3,
    },
    {
      type: "response.output_item.done",
      output_index: index,
      item: message(id, "completed", t),
      sequence_number: seq + 4,
    },
  ]);

/** Odd values JSON.stringify writes its own way (or leaves out). */
const odd = fc.constantFrom(
  undefined,
  null,
  Number.NaN,
  -0,
  Number.POSITIVE_INFINITY,
  1.5e300,
  () => 1,
  new Date(0),
  { toJSON: () => "replaced" },
  Object.assign(Object.create(null), { a: 1 }),
  [1],
  [undefined],
  {},
  "x",
  7,
);

/** Walks to a random object or array inside `value` and changes, adds or removes one key. */
function perturb(value: unknown, path: number[], edit: number, replacement: unknown): void {
  let target = value as Record<string, unknown>;
  for (const step of path) {
    const keys = Object.keys(target);
    const next = target[keys[step % Math.max(1, keys.length)] as string];
    if (next === null || typeof next !== "object") break;
    target = next as Record<string, unknown>;
  }
  const keys = Object.keys(target);
  const key = keys[edit % Math.max(1, keys.length)] ?? "extra";
  if (edit % 3 === 0) target[key] = replacement;
  else if (edit % 3 === 1) delete target[key];
  else {
    // The same keys in another order, or one more.
    const value = target[key];
    delete target[key];
    target[edit % 2 === 0 ? key : "extra"] = value;
  }
}

describe("messageEventJson", () => {
  it("writes the translators' message events as JSON.stringify does, texts remembered or not", () => {
    fc.assert(
      fc.property(events, fc.boolean(), (list, remember) => {
        const texts = new JsonTextCache();
        for (const event of list) {
          const t = (event as { text?: unknown }).text;
          if (remember && typeof t === "string") texts.remember(t, JSON.stringify(t));
          expect(messageEventJson(event, texts)).toBe(JSON.stringify(event));
        }
        expect(outputJson([list[4]?.item, undefined, { type: "other" }], texts)).toBe(
          JSON.stringify([list[4]?.item, undefined, { type: "other" }]),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("writes any other shape as JSON.stringify does, or leaves it to JSON.stringify", () => {
    fc.assert(
      fc.property(
        events,
        fc.nat(4),
        fc.array(fc.nat(6), { maxLength: 4 }),
        fc.nat(20),
        odd,
        (list, which, path, edit, replacement) => {
          const event = list[which] as Record<string, unknown> & { type: string };
          perturb(event, path, edit, replacement);
          const json = messageEventJson(event, new JsonTextCache());
          if (json !== undefined) expect(json).toBe(JSON.stringify(event));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("takes no event of another type", () => {
    const texts = new JsonTextCache();
    const delta = { type: "response.output_text.delta", item_id: "m", delta: "x" };
    expect(messageEventJson(delta, texts)).toBeUndefined();
  });
});
