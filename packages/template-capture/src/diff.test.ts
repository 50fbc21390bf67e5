import { describe, expect, it } from "vitest";
import { agentBody, anthropicCapture } from "../test/har-fixture.js";
import { diffCaptures, formatTemplateDiff } from "./diff.js";

describe("diffCaptures", () => {
  it("finds nothing between two runs that differ only in ids", () => {
    const a = anthropicCapture(agentBody(), {
      "x-claude-code-session-id": "7b888b48-bc7f-4c18-8546-b8d391fe66c2",
    });
    const b = anthropicCapture(
      agentBody({
        metadata: { user_id: "user_ffff_session_11111111-2222-3333-4444-555555555555" },
      }),
      { "x-claude-code-session-id": "00000000-bc7f-4c18-8546-b8d391fe66c2" },
    );
    const diff = diffCaptures(a, b);
    expect(diff.identical).toBe(true);
    expect(formatTemplateDiff(diff)).toBe("no differences\n");
  });

  it("reports parameters, system text, tools (schema-level), headers and betas", () => {
    const base = agentBody();
    const tools = base.tools as Record<string, unknown>[];
    const a = anthropicCapture(base, { "anthropic-beta": "x-1,y-2", "x-app": "cli" });
    const b = anthropicCapture(
      agentBody({
        model: "claude-haiku-4-5",
        system: [
          { type: "text", text: "You are an agent." },
          {
            type: "text",
            text: "Be brief.\nUse tools.\nSay please.",
            cache_control: { type: "ephemeral" },
          },
        ],
        tools: [
          {
            ...tools[0],
            description: "Reads a file from disk",
            input_schema: {
              type: "object",
              properties: { file_path: { type: "string" }, limit: { type: "number" } },
              required: ["file_path"],
            },
          },
          { name: "Grep", description: "Searches", input_schema: { type: "object" } },
        ],
      }),
      { "anthropic-beta": "y-2,z-3", "x-app": "sdk" },
    );
    const diff = diffCaptures(a, b);
    expect(diff.identical).toBe(false);
    expect(diff.parameters).toEqual([
      { path: "model", kind: "changed", before: "claude-sonnet-4-5", after: "claude-haiku-4-5" },
    ]);
    expect(diff.tools.added).toEqual(["Grep"]);
    expect(diff.tools.removed).toEqual(["Bash"]);
    expect(diff.tools.changed).toHaveLength(1);
    expect(diff.tools.changed[0]?.schema).toEqual([
      { path: "properties.limit", kind: "added", after: { type: "number" } },
    ]);
    expect(diff.tools.changed[0]?.description?.patch).toContain("+Reads a file from disk");
    expect(diff.system?.patch).toContain("+Say please.");
    expect(diff.headers).toEqual([{ path: "x-app", kind: "changed", before: "cli", after: "sdk" }]);
    expect(diff.betas).toEqual({ added: ["z-3"], removed: ["x-1"] });
    const text = formatTemplateDiff(diff);
    expect(text).toContain('~ model: "claude-sonnet-4-5" -> "claude-haiku-4-5"');
    expect(text).toContain("+ Grep");
    expect(text).toContain("- Bash");
    expect(text).toContain('+ schema properties.limit: {"type":"number"}');
    expect(text).toContain("+Say please.");
    expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
  });
});

describe("system prompt patch", () => {
  it("shows text appended after the last line as added lines only", () => {
    const a = anthropicCapture(agentBody({ system: "One.\nTwo." }));
    const b = anthropicCapture(agentBody({ system: "One.\nTwo.\n\nThree." }));
    const patch = diffCaptures(a, b).system?.patch ?? "";
    const changed = patch.split("\n").filter((l) => /^[+-](?![+-]{2} )/.test(l));
    expect(changed).toEqual(["+", "+Three."]);
  });
});
