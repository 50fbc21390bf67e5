import { expect } from "vitest";
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

/**
 * Checks that `sent` holds one answer, a 502 whose body contains `text` and none of `secrets`,
 * and returns that body parsed (an Anthropic caller's has `type: "error"`).
 */
export function expectOne502(
  sent: Array<{ status: number; body: string }>,
  dialect: "openai" | "anthropic" | "responses",
  text: string,
  secrets: readonly string[],
): { type?: string; error: { code?: string; message: string } } {
  expect(sent).toHaveLength(1);
  expect(sent[0]?.status).toBe(502);
  const body = sent[0]?.body ?? "";
  expect(body).toContain(text);
  for (const secret of secrets) expect(body).not.toContain(secret);
  const parsed = JSON.parse(body);
  if (dialect === "anthropic") expect(parsed.type).toBe("error");
  return parsed;
}
