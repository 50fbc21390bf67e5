import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A request the mock received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  raw: string;
  body: Record<string, unknown> | undefined;
}

/** Answers one request; gets the parsed body. */
export type MockHandler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

/** A local upstream on 127.0.0.1 (port 0) that records what it gets. */
export interface MockUpstream {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Replace to script the next answers. */
  handler: MockHandler;
  /** Resolves when a socket the mock accepted closes (for disconnect tests). */
  nextSocketClose(): Promise<number>;
  close(): Promise<void>;
}

/** Starts a mock upstream. */
export async function startMockUpstream(handler: MockHandler): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const closeWaiters: Array<(at: number) => void> = [];
  const mock: MockUpstream = {
    url: "",
    port: 0,
    requests,
    handler,
    nextSocketClose: () => new Promise((resolve) => closeWaiters.push(resolve)),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: Record<string, unknown> | undefined;
    try {
      body = raw.length > 0 ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    const recorded = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      raw,
      body,
    };
    requests.push(recorded);
    try {
      await mock.handler(recorded, res);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      const waiter = closeWaiters.shift();
      waiter?.(performance.now());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  mock.port = (server.address() as AddressInfo).port;
  mock.url = `http://127.0.0.1:${mock.port}`;
  return mock;
}

/** Sends JSON. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Sends SSE events, each written separately with a small gap. */
export async function sendSse(res: ServerResponse, events: string[], gapMs = 0) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const event of events) {
    res.write(event);
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
  res.end();
}

type Json = Record<string, unknown>;

/** The text of the last user message, in either dialect. */
export function lastUserText(body: Json | undefined): string {
  const messages = (body?.messages ?? []) as Json[];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Json;
    if (m.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content)) {
      return (m.content as Json[])
        .filter((p) => p.type === "text")
        .map((p) => p.text)
        .join("");
    }
  }
  return "";
}
