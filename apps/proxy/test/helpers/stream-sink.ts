import type { ResponseSink } from "../../src/backends/types.js";

/** A started stream sink that records each write as text and whether it was ended. */
export function streamSink(): { sink: ResponseSink; writes: string[]; ended: () => boolean } {
  const writes: string[] = [];
  let ended = false;
  const sink: ResponseSink = {
    json: () => {},
    bytes: () => {},
    startStream: () => {},
    write: async (chunk) => {
      writes.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
    },
    end: () => {
      ended = true;
    },
    started: true,
    closed: false,
  };
  return { sink, writes, ended: () => ended };
}
