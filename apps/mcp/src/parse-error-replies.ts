import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** JSON-RPC 2.0 error code for a line that is not JSON. */
export const PARSE_ERROR = -32700;
/** JSON-RPC 2.0 error code for JSON that is not a JSON-RPC message. */
export const INVALID_REQUEST = -32600;

function classify(error: unknown): { code: number; message: string } | undefined {
  if (error instanceof SyntaxError) return { code: PARSE_ERROR, message: "Parse error" };
  // The SDK validates each line with zod; a failed validation is JSON but not JSON-RPC.
  if (error && typeof error === "object" && (error as { name?: unknown }).name === "ZodError") {
    return { code: INVALID_REQUEST, message: "Invalid Request" };
  }
  return undefined;
}

/**
 * Makes a stdio transport answer unparsable input the JSON-RPC way. The SDK's
 * `StdioServerTransport` reports a bad line to `onerror` and moves on without replying;
 * after `connect()`, call this to also send `{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}`
 * (or -32600 for JSON that is not a JSON-RPC message), as JSON-RPC 2.0 §5 asks.
 *
 * @example
 * await server.connect(transport);
 * replyToParseErrors(transport, (err) => console.error(err.message));
 */
export function replyToParseErrors(transport: Transport, log?: (error: Error) => void): void {
  const previous = transport.onerror;
  transport.onerror = (error: Error) => {
    const reply = classify(error);
    if (reply) {
      // `id: null` is what JSON-RPC 2.0 requires when the request's id could not be read.
      const message = { jsonrpc: "2.0", id: null, error: reply } as unknown as JSONRPCMessage;
      transport.send(message).catch(() => {});
      log?.(new Error(`${reply.message} (${reply.code}): ignored one input line`));
      return;
    }
    log?.(error);
    previous?.(error);
  };
}
