import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A minimal Anthropic Messages endpoint for driving the real Claude Code CLI offline. */
export interface MockAnthropicServer {
  url: string;
  /** Every `POST /v1/messages` body received. */
  bodies: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** What the mock answers with. */
export interface MockAnthropicOptions {
  /** On the first request that mentions this tool, answer with a `tool_use` of it. */
  callTool?: string;
}

type Block =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: object };

function sse(res: import("node:http").ServerResponse, model: string, block: Block): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (event: string, data: object) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send("message_start", {
    type: "message_start",
    message: {
      id: `msg_${Date.now()}`,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1 },
    },
  });
  if (block.type === "text") {
    send("content_block_start", {
      type: "content_block_start",
      index: 0,
      content_block: { type: "text", text: "" },
    });
    send("content_block_delta", {
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text: block.text },
    });
  } else {
    send("content_block_start", {
      type: "content_block_start",
      index: 0,
      content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
    });
    send("content_block_delta", {
      type: "content_block_delta",
      index: 0,
      delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
    });
  }
  send("content_block_stop", { type: "content_block_stop", index: 0 });
  send("message_delta", {
    type: "message_delta",
    delta: {
      stop_reason: block.type === "tool_use" ? "tool_use" : "end_turn",
      stop_sequence: null,
    },
    usage: { output_tokens: 5 },
  });
  send("message_stop", { type: "message_stop" });
  res.end();
}

/** Starts the mock on 127.0.0.1 (port 0). */
export async function startMockAnthropicServer(
  options: MockAnthropicOptions = {},
): Promise<MockAnthropicServer> {
  const bodies: Array<Record<string, unknown>> = [];
  let toolCalled = false;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = req.url ?? "";
    if (req.method !== "POST" || !url.startsWith("/v1/messages")) {
      res.writeHead(404, { "content-type": "application/json" });
      return res.end(
        JSON.stringify({ type: "error", error: { type: "not_found_error", message: "not here" } }),
      );
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<
      string,
      unknown
    >;
    if (url.startsWith("/v1/messages/count_tokens")) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ input_tokens: 10 }));
    }
    bodies.push(body);
    const model = String(body.model ?? "claude");
    let block: Block = { type: "text", text: "done" };
    // Claude Code may defer MCP tools (named in the system prompt, not in `tools`): a mention is enough.
    if (options.callTool && !toolCalled && JSON.stringify(body).includes(options.callTool)) {
      toolCalled = true;
      block = { type: "tool_use", id: "toolu_switchyard_1", name: options.callTool, input: {} };
    }
    if (body.stream) return sse(res, model, block);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "msg_1",
        type: "message",
        role: "assistant",
        model,
        content: [block],
        stop_reason: block.type === "tool_use" ? "tool_use" : "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 5 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
