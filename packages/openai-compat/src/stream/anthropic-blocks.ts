/**
 * The open-block state of the Anthropic → Responses stream translator: one object per open
 * Anthropic content block (one shape for all), and how a text delta's block index is read
 * from its raw event.
 */

/** One open Anthropic content block and the output item it became. */
export interface OpenBlock {
  kind: "text" | "thinking" | "tool";
  index: number;
  id: string;
  /** Text so far as the body of a JSON string literal (escapes kept, no quotes). */
  literal: string;
  /** Tool input JSON so far. */
  args: string;
  signature: string | undefined;
  callId: string | undefined;
  name: string | undefined;
  /** `event: response.output_text.delta` SSE up to the delta's value (fast path). */
  ssePrefix: string | undefined;
  /** The item id's JSON (text blocks), for the message item's event templates. */
  idJson: string;
}

/** A block with every field set (one object shape for all blocks). */
export const newBlock = (kind: OpenBlock["kind"], index: number, id: string): OpenBlock => ({
  kind,
  index,
  id,
  literal: "",
  args: "",
  signature: undefined,
  callId: undefined,
  name: undefined,
  ssePrefix: undefined,
  idJson: "",
});

export const TEXT_DELTA = "response.output_text.delta";
/** Length of `{"type":"content_block_delta","index":`, after which a text delta's index stands. */
export const TEXT_DELTA_HEAD_LENGTH = '{"type":"content_block_delta","index":'.length;

/** The number written in plain digits from `text[from]` on (a scanner checked them). */
export function indexAt(text: string, from: number): number {
  let index = 0;
  for (let i = from; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) break;
    index = index * 10 + digit;
  }
  return index;
}
