/**
 * Text of a streamed Responses item kept as JSON string literal bodies (escapes kept, no
 * quotes), so a text delta copied from the upstream's JSON is never decoded on the way
 * through: only the item's `.done` events decode the whole text, once.
 */

import { flatString } from "./delta-frame.js";
import { flatStringsByNumber } from "./flat-string-cache.js";
import type { JsonTextCache } from "./json-text-cache.js";

const TEXT_DELTA = "response.output_text.delta";

/** Decodes a literal body built by {@link encodeTextLiteral} or copied from JSON. */
export const decodeTextLiteral = (literal: string): string =>
  literal === "" ? "" : JSON.parse(`"${literal}"`);

/** `text` as a JSON string literal body, as `JSON.stringify` writes it. */
export const encodeTextLiteral = (text: string): string => JSON.stringify(text).slice(1, -1);

/**
 * The SSE of a `response.output_text.delta` event up to its `delta` value, for the item
 * whose id's JSON is `idJson` at `outputIndex`: byte-identical to what `serializeResponsesStreamEvent` writes
 * for the event the translators build (`type`, `item_id`, `output_index`, `content_index`,
 * `delta`, `logprobs`, `sequence_number`, in that order). Built once per item.
 */
export function outputTextDeltaHead(idJson: string, outputIndex: number): string {
  // Flat: it is copied into every delta of the item.
  return flatString(
    `event: ${TEXT_DELTA}\ndata: {"type":"${TEXT_DELTA}","item_id":${idJson},"output_index":${outputIndex},"content_index":0,"delta":`,
  );
}

/** The rest of an output_text.delta event after {@link outputTextDeltaHead}: the text's literal (quotes included) on. */
export function outputTextDeltaSse(head: string, literal: string, sequence: number): string {
  return `${head}${literal}${deltaTail(sequence)}`;
}

/**
 * The SSE of a row of text deltas of one item, `literals` (JSON string literals, quotes
 * included) numbered from `sequence` on, as one string: each delta is `head`, its literal,
 * {@link deltaTail}. Each literal's body is added to `item.literal`. Built with `+=` rather
 * than pushed as three strings per delta: the reader joins its output once, and a join of
 * hundreds of small strings costs more than flattening the one string built here (200
 * deltas: 12.7 µs as 600 strings joined, 8.6 µs built here).
 */
export function writeTextDeltaRow(
  item: { literal: string },
  head: string,
  literals: readonly string[],
  sequence: number,
): string {
  let row = "";
  let body = item.literal;
  for (let k = 0; k < literals.length; k++) {
    const literal = literals[k] as string;
    body += literal.slice(1, -1);
    row += head + literal + deltaTail(sequence + k);
  }
  item.literal = body;
  return row;
}

/**
 * `,"logprobs":[],"sequence_number":N}` and the blank line: the same few thousand strings in
 * every stream (the first 4096 kept), made once per process instead of once per delta. What
 * follows a text delta's literal after {@link outputTextDeltaHead}.
 */
export const deltaTail = flatStringsByNumber(
  (sequence) => `,"logprobs":[],"sequence_number":${sequence}}\n\n`,
  4096,
);

/**
 * An escape `JSON.stringify` may write otherwise (`\/`, `\u…`, which it keeps for control
 * characters and lone surrogates). An escaped backslash before a `u` matches too: that only
 * costs the shortcut.
 */
const FOREIGN_ESCAPE = /\\[u/]/;

/**
 * `JSON.stringify(decodeTextLiteral(literal))` when the literal body is already written as
 * `JSON.stringify` writes it (no `\u` or `\/` escape, no lone surrogate): the literal itself,
 * quoted, without decoding and escaping the text again. Undefined when it may not be.
 */
export function canonicalTextJson(literal: string): string | undefined {
  const escaped = literal.indexOf("\\") !== -1;
  if ((escaped && FOREIGN_ESCAPE.test(literal)) || !isWellFormed(literal)) return undefined;
  return `"${literal}"`;
}

/** Literals shorter than this are not worth remembering (see `JsonTextCache.remember`). */
const REMEMBERED_LITERAL = 64;

/**
 * Hands `texts` the JSON of `text`, decoded from `literal`, when the literal is that JSON's
 * body already (see {@link canonicalTextJson}) and the text long enough to matter.
 */
export function rememberTextJson(texts: JsonTextCache, text: string, literal: string): void {
  if (literal.length < REMEMBERED_LITERAL) return;
  const json = canonicalTextJson(literal);
  if (json !== undefined) texts.remember(text, json);
}

/** `String.prototype.isWellFormed` (Node 20; not in the ES2023 lib the build targets). */
const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();
