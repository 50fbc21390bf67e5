import { Transform } from "node:stream";

/**
 * A stdin filter for a newline-delimited protocol: passes whole lines through and drops any
 * line longer than `maxLineBytes` (calling `onOverlong` once for it) instead of buffering it.
 * The MCP SDK's stdio transport gives up, and closes for good, when a line outgrows its 10 MiB
 * buffer; behind this filter it only ever sees lines it can take, and the server keeps serving.
 */
export function limitLineLength(maxLineBytes: number, onOverlong: () => void): Transform {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let dropping = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out: Buffer[] = [];
      let start = 0;
      while (start < chunk.length) {
        const newline = chunk.indexOf(0x0a, start);
        const end = newline === -1 ? chunk.length : newline + 1;
        const piece = chunk.subarray(start, end);
        start = end;
        if (dropping) {
          // The rest of an overlong line: skip to its end.
          if (newline !== -1) dropping = false;
          continue;
        }
        if (heldBytes + piece.length > maxLineBytes) {
          held = [];
          heldBytes = 0;
          dropping = newline === -1;
          onOverlong();
          continue;
        }
        held.push(piece);
        heldBytes += piece.length;
        if (newline !== -1) {
          out.push(...held);
          held = [];
          heldBytes = 0;
        }
      }
      done(null, out.length === 0 ? undefined : Buffer.concat(out));
    },
    flush(done) {
      // A last line without a newline still counts as a line.
      done(null, held.length === 0 ? undefined : Buffer.concat(held));
    },
  });
}
