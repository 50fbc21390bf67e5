import { PassThrough } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { describe, expect, it } from "vitest";
import { replyToParseErrors } from "./parse-error-replies.js";

function collect(stream: PassThrough): () => Array<Record<string, unknown>> {
  let out = "";
  stream.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  return () =>
    out
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("replyToParseErrors", () => {
  it("answers bad lines with -32700 / -32600 and still delivers good ones", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const written = collect(stdout);
    const transport = new StdioServerTransport(stdin, stdout);
    const received: unknown[] = [];
    const logged: string[] = [];
    transport.onmessage = (m) => received.push(m);
    await transport.start();
    replyToParseErrors(transport, (e) => logged.push(e.message));

    stdin.write("not json\n");
    stdin.write('{"jsonrpc":"1.0","what":true}\n');
    stdin.write('{"jsonrpc":"2.0","id":7,"method":"ping"}\n');
    await new Promise((r) => setImmediate(r));

    expect(written()).toEqual([
      { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } },
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request" } },
    ]);
    expect(received).toEqual([{ jsonrpc: "2.0", id: 7, method: "ping" }]);
    expect(logged).toHaveLength(2);
    await transport.close();
  });

  it("passes other errors on to the previous handler without replying", async () => {
    const stdout = new PassThrough();
    const written = collect(stdout);
    const transport = new StdioServerTransport(new PassThrough(), stdout);
    const seen: string[] = [];
    transport.onerror = (e) => seen.push(`previous:${e.message}`);
    replyToParseErrors(transport);
    transport.onerror?.(new Error("stdin broke"));
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(["previous:stdin broke"]);
    expect(written()).toEqual([]);
  });
});
