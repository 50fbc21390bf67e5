import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the handler sees of a request: the JSON body the SDK sent. */
export type StreamHandler = (body: Record<string, unknown>) => AsyncIterable<string>;

/** A local SSE server on 127.0.0.1 (port 0) that streams what `handler` yields. */
export async function startSseServer(
  handler: StreamHandler,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const body = JSON.parse(Buffer.concat(parts).toString("utf8")) as Record<string, unknown>;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for await (const text of handler(body)) res.write(text);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
