import fc from "fast-check";

/** `bytes` cut at the points `cuts` (taken modulo its length, duplicates dropped), in order. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.subarray(last, p));
    last = p;
  }
  return parts;
}

/** `parts` as an async iterable, one at a time (what a stream adapter reads). */
export async function* from<T>(parts: T[]): AsyncGenerator<T> {
  for (const part of parts) yield part;
}

/** Everything an async source of text yields, joined. */
export async function collect(source: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const piece of source) text += piece;
  return text;
}

/** One text delta: what JSON escapes, non-BMP characters (surrogate pairs), lone surrogates. */
export const textDelta = fc.oneof(
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
  fc.constantFrom('"', "\\", "\n", "\u2028", "😀", "\ud83d", "\ude00", "</script>", "\u0000", ""),
);

/** An Anthropic `message_start` event with no content yet. */
export function anthropicMessageStart(model = "claude-x"): Record<string, unknown> {
  return {
    type: "message_start",
    message: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 1 },
    },
  };
}
