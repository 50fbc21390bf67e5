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

/**
 * A sink that has sent nothing yet (`started` false: an error goes out as a whole answer),
 * recording each whole answer it is given and any stream writes.
 */
export function answerSink(): {
  sink: ResponseSink;
  sent: Array<{ status: number; body: string }>;
  writes: string[];
} {
  const sent: Array<{ status: number; body: string }> = [];
  const stream = streamSink();
  const sink: ResponseSink = {
    ...stream.sink,
    started: false,
    bytes: (status, body) => {
      sent.push({ status, body: typeof body === "string" ? body : Buffer.from(body).toString() });
    },
    json: (status, body) => {
      sent.push({ status, body: JSON.stringify(body) });
    },
  };
  return { sink, sent, writes: stream.writes };
}
