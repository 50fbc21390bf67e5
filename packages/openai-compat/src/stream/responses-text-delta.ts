/**
 * Text of a streamed Responses item kept as JSON string literal bodies (escapes kept, no
 * quotes), so a text delta copied from the upstream's JSON is never decoded on the way
 * through: only the item's `.done` events decode the whole text, once.
 */

const TEXT_DELTA = "response.output_text.delta";

/** Decodes a literal body built by {@link encodeTextLiteral} or copied from JSON. */
export const decodeTextLiteral = (literal: string): string =>
  literal === "" ? "" : JSON.parse(`"${literal}"`);

/** `text` as a JSON string literal body, as `JSON.stringify` writes it. */
export const encodeTextLiteral = (text: string): string => JSON.stringify(text).slice(1, -1);

/**
 * The SSE of a `response.output_text.delta` event up to its `delta` value, for the item
 * `itemId` at `outputIndex`: byte-identical to what `serializeResponsesStreamEvent` writes
 * for the event the translators build (`type`, `item_id`, `output_index`, `content_index`,
 * `delta`, `logprobs`, `sequence_number`, in that order). Built once per item.
 */
export function outputTextDeltaHead(itemId: string, outputIndex: number): string {
  return `event: ${TEXT_DELTA}\ndata: {"type":"${TEXT_DELTA}","item_id":${JSON.stringify(itemId)},"output_index":${outputIndex},"content_index":0,"delta":`;
}

/** The rest of an output_text.delta event after {@link outputTextDeltaHead}: the text's literal (quotes included) on. */
export function outputTextDeltaSse(head: string, literal: string, sequence: number): string {
  return `${head}${literal},"logprobs":[],"sequence_number":${sequence}}\n\n`;
}
