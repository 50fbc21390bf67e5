import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { asArray, asObject, asString, requireObject } from "../internal/coerce.js";
import { guarded, okResult, type ToolContext } from "./tool-context.js";

const outputSchema = {
  report: z
    .record(z.string(), z.unknown())
    .describe("The structured report `switchyard doctor` builds (secrets redacted)"),
  text: z.string().describe("The report as `switchyard doctor` prints it"),
};

const MARKS: Record<string, string> = { ok: "✓", info: "·", warn: "!", fail: "✗" };

/** The report as lines, for a proxy that sends only the structured report. */
function formatChecks(report: Record<string, unknown>): string {
  const lines = asArray(report.checks).flatMap((raw) => {
    const c = asObject(raw);
    if (!c) return [];
    const status = asString(c.status) ?? (c.ok === true ? "ok" : c.ok === false ? "fail" : "info");
    const summary = asString(c.summary) ?? asString(c.detail) ?? "";
    const details = asArray(c.details).filter((d): d is string => typeof d === "string");
    return [
      `${MARKS[status] ?? "·"} ${asString(c.id) ?? asString(c.name) ?? "check"}: ${summary}`,
      ...details.map((d) => `    ${d}`),
    ];
  });
  return lines.length ? lines.join("\n") : JSON.stringify(report, null, 2);
}

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
        // The doctor probes every backend (and `claude --version`), so it may take a while.
        const body = requireObject(
          await ctx.admin.get("/doctor", { timeoutMs: 30_000 }),
          "GET /doctor",
        );
        const report = asObject(body.report) ?? {};
        const text = asString(body.text) ?? formatChecks(report);
        return okResult(ctx, { report, text }, text);
      }),
  );
}
