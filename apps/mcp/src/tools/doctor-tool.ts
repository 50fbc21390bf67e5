import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { asObject, asString, requireObject } from "../internal/coerce.js";
import { guarded, okResult, type ToolContext } from "./tool-context.js";

const outputSchema = {
  report: z
    .record(z.string(), z.unknown())
    .describe("The structured report `switchyard doctor` builds (secrets redacted)"),
  text: z.string().describe("The report as `switchyard doctor` prints it"),
};

/** Registers `doctor`: the same report `switchyard doctor` prints, read from `GET /doctor`. */
export function registerDoctorTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "doctor",
    {
      title: "switchyard doctor",
      description:
        "Runs switchyard's self-check on the running proxy (config, backends, keys present, ports) and returns the same report `switchyard doctor` prints.",
      inputSchema: {},
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      guarded(ctx, async () => {
        const body = requireObject(await ctx.admin.get("/doctor"), "GET /doctor");
        const report = asObject(body.report) ?? {};
        const text = asString(body.text) ?? JSON.stringify(report, null, 2);
        return okResult(ctx, { report, text }, text);
      }),
  );
}
