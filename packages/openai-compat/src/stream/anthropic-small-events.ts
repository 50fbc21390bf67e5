import type { AnthropicStreamEvent } from "../types/anthropic.js";

/**
 * The small events every Anthropic stream sends, read without `JSON.parse` when their data is
 * exactly the compact JSON the Messages API writes: `message_stop`, `content_block_stop` and
 * a text block's `content_block_start`. `JSON.parse` costs 0.15–0.4 µs for each (most of it
 * fixed: key lookups, object shapes); a comparison costs a few tens of nanoseconds. Anything
 * else is left to `JSON.parse`.
 */

const MESSAGE_STOP = '{"type":"message_stop"}';
const BLOCK_STOP_HEAD = '{"type":"content_block_stop","index":';
const BLOCK_START_HEAD = '{"type":"content_block_start","index":';
const TEXT_BLOCK_TAIL = ',"content_block":{"type":"text","text":""}}';
/** An index of at most this many digits is exactly a JSON number's value. */
const MAX_DIGITS = 9;

/**
 * The block index written as digits in `data` from `start` to `end` (a JSON integer: no sign,
 * no leading zero), or -1.
 */
function indexBetween(data: string, start: number, end: number): number {
  const digits = end - start;
  if (digits < 1 || digits > MAX_DIGITS || (digits > 1 && data.charCodeAt(start) === 0x30)) {
    return -1;
  }
  let index = 0;
  for (let i = start; i < end; i++) {
    const c = data.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    index = index * 10 + c - 0x30;
  }
  return index;
}

/**
 * The event `data` holds when it is one of the small events in its compact form (a new
 * object, equal to what `JSON.parse(data)` gives, keys in the same order); else undefined.
 */
export function smallAnthropicEvent(data: string): AnthropicStreamEvent | undefined {
  const n = data.length;
  if (n === MESSAGE_STOP.length && data === MESSAGE_STOP) return { type: "message_stop" };
  if (data.charCodeAt(n - 1) !== 0x7d /* } */) return undefined;
  if (n <= BLOCK_STOP_HEAD.length + MAX_DIGITS + 1) {
    if (data.slice(0, BLOCK_STOP_HEAD.length) !== BLOCK_STOP_HEAD) return undefined;
    const index = indexBetween(data, BLOCK_STOP_HEAD.length, n - 1);
    return index < 0 ? undefined : { type: "content_block_stop", index };
  }
  const end = n - TEXT_BLOCK_TAIL.length;
  if (
    end <= BLOCK_START_HEAD.length ||
    data.slice(0, BLOCK_START_HEAD.length) !== BLOCK_START_HEAD ||
    data.slice(end) !== TEXT_BLOCK_TAIL
  ) {
    return undefined;
  }
  const index = indexBetween(data, BLOCK_START_HEAD.length, end);
  return index < 0
    ? undefined
    : { type: "content_block_start", index, content_block: { type: "text", text: "" } };
}
