import { isAscii } from "node:buffer";

/** Turns the chunks of one UTF-8 byte stream into text, a code point split across chunks kept whole. */
export interface Utf8ChunkDecoder {
  /** The text of `chunk` (without the bytes of a code point it ends in the middle of). */
  write(chunk: Buffer): string;
  /** End of input: what is left (U+FFFD for a code point cut short). */
  end(): string;
}

/**
 * Creates a decoder for one stream's chunks, equal to one streaming `TextDecoder` (a leading
 * byte order mark dropped). A chunk of ASCII bytes (most chunks of an LLM stream) becomes a
 * one-byte string by a plain copy, about ten times cheaper than `TextDecoder`; any other
 * chunk, or one after a chunk that ended mid code point, goes through the `TextDecoder`.
 */
export function createUtf8ChunkDecoder(): Utf8ChunkDecoder {
  // The BOM is dropped here, not by the TextDecoder: it may first see a later chunk.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** The last chunk the TextDecoder saw ended in a non-ASCII byte: it may hold half a code point. */
  let pending = false;
  let first = true;
  const write = (chunk: Buffer): string => {
    if (!pending && isAscii(chunk)) {
      if (chunk.length > 0) first = false;
      return chunk.toString("latin1");
    }
    if (chunk.length > 0) pending = (chunk[chunk.length - 1] as number) >= 0x80;
    let text = decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };
  return { write, end: () => (pending ? decoder.decode() : "") };
}
