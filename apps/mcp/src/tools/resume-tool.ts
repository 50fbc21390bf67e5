import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { asString, requireObject } from "../internal/coerce.js";
import { guarded, okResult, type ToolContext } from "./tool-context.js";

const outputSchema = {
  resumed: z.boolean().describe("Whether the proxy accepted the resume"),
  state: z.string().describe("Guard state afterwards: ok | halted"),
};

/** Registers `resume` (acting): lifts an overage-guard halt via `POST /admin/resume`. */
export function registerResumeTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "resume",
    {
      title: "switchyard resume",
      description:
        "Lifts an overage-guard halt so the switchyard proxy serves requests again (the same as `switchyard resume`). Spending resumes: only call it when the user asked to.",
      inputSchema: {},
      outputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    () =>
      guarded(ctx, async () => {
        const body = requireObject(await ctx.admin.post("/admin/resume"), "POST /admin/resume");
        const resumed = body.resumed === true;
        const state = asString(body.state) ?? "unknown";
        const text = resumed
          ? `resumed; guard state is now ${state}`
          : `not resumed; guard state is ${state}`;
        return okResult(ctx, { resumed, state }, text);
      }),
  );
}
