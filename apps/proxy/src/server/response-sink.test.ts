import { createServer, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createResponseSink, SINK_BUFFER_LIMIT } from "./response-sink.js";

/** A server whose one response is handed to the test, and a client that reads it only when told. */
async function exchange() {
  let respond: (res: ServerResponse) => void = () => {};
  const response = new Promise<ServerResponse>((resolve) => {
    respond = resolve;
  });
  const server = createServer((_req, res) => respond(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const client = request({ port, host: "127.0.0.1", method: "GET", path: "/" });
  const body = new Promise<import("node:http").IncomingMessage>((resolve) => {
    client.on("response", (res) => {
      res.pause();
      resolve(res);
    });
  });
  client.end();
  const res = await response;
  return { server, res, body };
}

/** Whether `promise` settled within a few microtask turns (no I/O, no timers). */
async function settledAtOnce(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

const servers: Array<{ close(): void; closeAllConnections(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

describe("createResponseSink", () => {
  it("does not wait for drain after a chunk above node's 16 KB mark", async () => {
    const { server, res } = await exchange();
    servers.push(server);
    const sink = createResponseSink(res);
    sink.startStream(200);
    // Node reports a 64 KB write as over its mark (write() returns false) though nothing waits.
    expect(await settledAtOnce(sink.write(Buffer.alloc(64 * 1024, 97)))).toBe(true);
    sink.end();
  });

  it("waits for a client that does not read once about the limit is buffered", async () => {
    const { server, res, body } = await exchange();
    servers.push(server);
    const sink = createResponseSink(res);
    sink.startStream(200);
    const chunk = Buffer.alloc(256 * 1024, 97);
    // The kernel's socket buffers take some megabytes first: bounded, whatever they hold.
    let waiting: Promise<void> | undefined;
    for (let i = 0; i < 400 && waiting === undefined; i++) {
      const write = sink.write(chunk);
      if (!(await settledAtOnce(write))) waiting = write;
    }
    expect(waiting).toBeDefined();
    expect(res.writableLength).toBeGreaterThanOrEqual(SINK_BUFFER_LIMIT);
    expect(await settledAtOnce(waiting as Promise<void>)).toBe(false);
    // Reading resumes it.
    (await body).resume();
    await waiting;
    sink.end();
  });
});

describe("createResponseSink json", () => {
  /** The head the client got for `answer`: its header lines in order, status and body. */
  async function head(answer: (sink: ReturnType<typeof createResponseSink>) => void) {
    const { server, res, body } = await exchange();
    servers.push(server);
    answer(createResponseSink(res));
    const message = await body;
    message.resume();
    const chunks: Buffer[] = [];
    for await (const chunk of message) chunks.push(chunk as Buffer);
    const names = message.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    const lines = names
      .filter((n) => n !== "date" && n !== "connection" && n !== "keep-alive")
      .map((n) => `${n}: ${message.headers[n]}`);
    return { status: message.statusCode, lines, text: Buffer.concat(chunks).toString() };
  }

  it("sends JSON with its type first and its length last", async () => {
    expect(await head((sink) => sink.json(200, { a: "é" }))).toEqual({
      status: 200,
      lines: ["content-type: application/json", "content-length: 10"],
      text: '{"a":"é"}',
    });
  });

  it("keeps the caller's headers in order between them, a content type of its own in first place", async () => {
    const headers = { "x-a": "1", "content-type": "application/problem+json", "retry-after": "3" };
    expect(await head((sink) => sink.json(503, {}, headers))).toEqual({
      status: 503,
      lines: [
        "content-type: application/problem+json",
        "x-a: 1",
        "retry-after: 3",
        "content-length: 2",
      ],
      text: "{}",
    });
  });
});
