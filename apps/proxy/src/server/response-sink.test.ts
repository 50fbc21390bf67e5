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
