/**
 * The real Claude Code CLI recorded through `switchyard capture -- claude …` against `echo`:
 * the HAR validates (HAR 1.2 schema) and opens in a HAR library, holds the real system prompt
 * and tools and no key; captures diff by exactly their settings; a capture replays offline.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  diffTemplates,
  extractTemplate,
  type HarLog,
  parseCassette,
} from "@switchyard/template-capture";
import harValidator from "har-validator";
import { HTTPSnippet } from "httpsnippet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli } from "./cli-helpers.js";

const claude = join(import.meta.dirname, "../node_modules/.bin/claude");
const CANARY = "sk-ant-api03-CANARYcapture7f3a9c1e5b2d4f6a";

let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), "sy-capture-cc-"));
  // Port 0: `run` never finds (and never uses) a proxy someone else runs on 3456.
  await writeFile(join(dir, "config.json"), JSON.stringify({ port: 0, defaultBackend: "echo" }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs `switchyard <args>` with Claude Code's home, cwd and key under the temp dir. One home
 * for every run: Claude Code's system prompt names paths under it, so runs that should be
 * identical share it.
 */
async function switchyard(args: string[]) {
  const home = join(dir, "home");
  await mkdir(home, { recursive: true });
  const run = await runCli(args, {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      SWITCHYARD_HOME: dir,
      ANTHROPIC_API_KEY: CANARY,
      DISABLE_TELEMETRY: "1",
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    },
    timeoutMs: 150_000,
    cwd: dir,
  });
  return run;
}

const claudeArgs = (...extra: string[]) => [
  "--",
  claude,
  "-p",
  "hi",
  "--output-format",
  "stream-json",
  "--verbose",
  ...extra,
];

async function capture(
  name: string,
  ...extra: string[]
): Promise<{ har: HarLog; text: string; result: string }> {
  const out = join(dir, `${name}.har`);
  const run = await switchyard(["capture", "--out", out, ...claudeArgs(...extra)]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toContain(`written to ${out}`);
  const text = await readFile(out, "utf8");
  return { har: parseCassette(text), text, result: resultOf(run.stdout) };
}

function resultOf(stdout: string): string {
  const line = stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { type?: string; result?: string; is_error?: boolean })
    .find((l) => l.type === "result");
  expect(line?.is_error).toBe(false);
  return line?.result ?? "";
}

describe("switchyard capture -- claude (real Claude Code CLI, echo backend)", () => {
  let a: Awaited<ReturnType<typeof capture>>;

  it("writes a HAR 1.2 file that validates, opens in a HAR library, holds the real template and no key", async () => {
    a = await capture("a");
    await expect(harValidator.har(JSON.parse(a.text))).resolves.toBeTruthy();
    const snippet = new HTTPSnippet(JSON.parse(a.text));
    expect(snippet.requests.length).toBe(a.har.log.entries.length);
    const curls = snippet.convert("shell", "curl") as string[] | string;
    expect(String(curls)).toContain("/v1/messages");
    expect(a.text).not.toContain(CANARY);
    expect(a.text).not.toContain("CANARYcapture");

    const template = extractTemplate(a.har);
    expect(template.dialect).toBe("anthropic");
    expect(template.system.text).toMatch(/Claude/);
    expect(template.system.tokens).toBeGreaterThan(200);
    expect(template.tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(["Bash", "Read", "Edit"]),
    );
    expect(template.tools.find((t) => t.name === "Bash")?.inputSchema).toMatchObject({
      type: "object",
    });
    expect(a.har.log.browser?.name).toBe("claude-cli");
    expect(a.har.log._switchyard).toMatchObject({
      tool: "claude",
      dialect: "anthropic",
      backend: "echo",
    });
    const stream = a.har.log.entries.find((e) => e.response.content._sseEvents !== undefined);
    expect(stream?.response.content._sseEvents?.length).toBeGreaterThan(3);
  }, 200_000);

  it("diffs two identical runs as identical, and a changed setting as exactly that change", async () => {
    const again = await capture("a2");
    expect(diffTemplates(extractTemplate(a.har), extractTemplate(again.har)).identical).toBe(true);
    const shown = await runCli(["capture", "diff", join(dir, "a.har"), join(dir, "a2.har")], {
      env: { PATH: process.env.PATH, HOME: dir, SWITCHYARD_HOME: dir },
    });
    expect(shown.stdout).toBe("no differences\n");

    const b = await capture("b", "--append-system-prompt", "Always answer in French.");
    const diff = diffTemplates(extractTemplate(a.har), extractTemplate(b.har));
    expect(diff.identical).toBe(false);
    expect(diff.system?.patch).toContain("+Always answer in French.");
    // Claude Code also swaps its opening identity line when a prompt is appended: that is the
    // tool's own behaviour, and the only other change the diff may show.
    const changed = (diff.system?.patch ?? "")
      .split("\n")
      .filter((l) => /^[+-](?![+-]{2} )/.test(l) && l.trim().length > 1);
    expect(
      changed.filter((l) => !/Always answer in French|^[-+]You are (a )?Claude/.test(l)),
    ).toEqual([]);
    expect(diff.tools).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.parameters).toEqual([]);
    expect(diff.headers).toEqual([]);
    expect(diff.betas).toEqual({ added: [], removed: [] });
    const text = await runCli(["capture", "diff", join(dir, "a.har"), join(dir, "b.har")], {
      env: { PATH: process.env.PATH, HOME: dir, SWITCHYARD_HOME: dir },
    });
    expect(text.stdout).toMatch(/^system prompt:\n/);
    expect(text.stdout).toContain("+Always answer in French.");
  }, 400_000);

  it("replays the capture to Claude Code offline through a replay backend", async () => {
    const config = join(dir, "replay.json");
    await writeFile(
      config,
      JSON.stringify({
        port: 0,
        backends: { cc: { type: "replay", cassette: join(dir, "a.har"), pacing: "recorded" } },
        defaultBackend: "cc",
      }),
    );
    const run = await switchyard(["run", "--config", config, ...claudeArgs()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("started a proxy for this run");
    expect(resultOf(run.stdout)).toBe(a.result);
  }, 200_000);
});
