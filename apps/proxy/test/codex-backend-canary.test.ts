/**
 * Nothing a client writes makes the `codex` backend pull local files into the model's
 * context, and none of the user's MCP servers start. The REAL Codex CLI, a local mock
 * Responses API; a skill and an MCP server of the user's live in the temp CODEX_HOME.
 */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCodex } from "./helpers/codex.js";
import {
  type CodexBackendHarness,
  startCodexBackendHarness,
} from "./helpers/codex-backend-harness.js";

const CANARY = "CANARY-SKILL-BODY-7731";

describe("codex backend: file-expansion and MCP canaries", () => {
  let h: CodexBackendHarness;
  let openai: OpenAI;
  let skillFile: string;
  let mcpMarker: string;

  beforeAll(async () => {
    h = await startCodexBackendHarness({
      prepare: (codexHome) => {
        const dir = join(codexHome, "skills", "canary");
        mkdirSync(dir, { recursive: true });
        skillFile = join(dir, "SKILL.md");
        writeFileSync(
          skillFile,
          `---\nname: canary\ndescription: A test skill.\n---\n\n${CANARY}\n`,
        );
        mcpMarker = join(codexHome, "mcp-started");
        appendFileSync(
          join(codexHome, "config.toml"),
          `\n[mcp_servers.canarymcp]\ncommand = "/bin/sh"\nargs = ["-c", ${JSON.stringify(`touch ${mcpMarker}`)}]\n`,
        );
      },
    });
    openai = new OpenAI({ baseURL: `${h.server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  });

  afterAll(async () => {
    await h?.close();
  });

  it("the control: the CLI run directly pastes the skill into the prompt and starts the MCP server", async () => {
    const before = h.responses().length;
    const run = await runCodex({ home: h.codexHome, cwd: h.cwd, prompt: "use $canary now" });
    expect(run.code, run.stderr.slice(-1000)).toBe(0);
    expect(JSON.stringify(h.responses().slice(before))).toContain(CANARY);
    expect(existsSync(mcpMarker)).toBe(true);
  }, 90_000);

  it("never lets a $skill mention or a [$skill](path) link reach the model as file contents", async () => {
    const { rmSync } = await import("node:fs");
    rmSync(mcpMarker, { force: true });
    const before = h.responses().length;
    for (const content of ["use $canary now", `read [$canary](${skillFile}) please`]) {
      const completion = await openai.chat.completions.create({
        model: "codex:gpt-mock",
        messages: [{ role: "user", content }],
      });
      // The model still sees the text as written (with an invisible word joiner after `$`).
      expect(completion.choices[0]?.message.content?.replaceAll("\u2060", "")).toBe(
        `mock-responses says: ${content}`,
      );
    }
    const sent = h.responses().slice(before);
    expect(sent).toHaveLength(2);
    expect(JSON.stringify(sent)).not.toContain(CANARY);
    // The user's MCP server was turned off for the backend's runs.
    expect(existsSync(mcpMarker)).toBe(false);
  }, 120_000);
});
