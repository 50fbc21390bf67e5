import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { AdminClient } from "../admin-client.js";
import { SwitchyardMcpError } from "../mcp-error.js";
import type { Redactor } from "../redact.js";

/** What every tool handler gets. */
export interface ToolContext {
  admin: AdminClient;
  /** Applied to every result, text and structured, just before it leaves the server. */
  redact: Redactor;
  now: () => Date;
  /** Timeout for `ask_model`, which waits on a real model. */
  askTimeoutMs: number;
}

/** A successful result: structured data plus a short text for people. */
export function okResult(
  ctx: ToolContext,
  structured: Record<string, unknown>,
  text: string,
): CallToolResult {
  return {
    content: [{ type: "text", text: ctx.redact(text) }],
    structuredContent: ctx.redact(structured),
  };
}

/** A domain failure as an `isError` result (never a thrown protocol error). */
export function errorResult(
  ctx: ToolContext,
  error: unknown,
  structured?: Record<string, unknown>,
): CallToolResult {
  const text = SwitchyardMcpError.isInstance(error)
    ? error.message
    : `switchyard-mcp hit an unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  return {
    isError: true,
    content: [{ type: "text", text: ctx.redact(text) }],
    ...(structured ? { structuredContent: ctx.redact(structured) } : {}),
  };
}

/** Runs a handler, turning any failure into an `isError` result. */
export async function guarded(
  ctx: ToolContext,
  handler: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  try {
    return await handler();
  } catch (error) {
    return errorResult(ctx, error);
  }
}
