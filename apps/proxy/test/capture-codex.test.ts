/**
 * The real Codex CLI recorded through `switchyard capture -- codex exec …` against `echo`:
 * the launcher gives Codex a provider of its own through `-c` overrides (no config edit, no
 * WebSocket attempt), the HAR validates and opens in a HAR library, holds Codex's real
 * `POST /v1/responses` (instructions and tools) and no key; captures diff by exactly their
 * settings; a capture replays to Codex offline.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  diffTemplates,
  entryPath,
  extractTemplate,
  type HarLog,
  parseCassette,
} from "@switchyard/template-capture";
import harValidator from "har-validator";
import { HTTPSnippet } from "httpsnippet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli } from "./cli-helpers.js";
import { codexBin, createCodexHome } from "./helpers/codex.js";

/** The proxy's client key: Codex must present it, and it must not reach the file. */
const CLIENT_KEY = "sk-proj-CANARYcodexclient7f3a9c1e5b2d4f6a8c0e";
/** The user's own OpenAI key: Codex has no reason to send it to the proxy at all. */
const USER_KEY = "sk-proj-CANARYcodexuser0e8c6a4f2d5b3c1e9a7f";

let dir: string;
let codexHome: string;
let cwd: string;
beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), "sy-capture-codex-"));
  cwd = join(dir, "work");
  await mkdir(cwd);
  // No provider in Codex's own config: what reaches the proxy is the launcher's doing.
  codexHome = createCodexHome({ model: "gpt-x" });
  await writeFile(join(dir, "config.json"), JSON.stringify({ port: 0, defaultBackend: "echo" }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(codexHome, { recursive: true, force: true });
});

/** Runs `switchyard <args>` with Codex's home and cwd under temp dirs; nothing leaves 127.0.0.1. */
function switchyard(args: string[]) {
  return runCli(args, {
    env: {
      PATH: process.env.PATH,
      HOME: codexHome,
      CODEX_HOME: codexHome,
      SWITCHYARD_HOME: dir,
      SWITCHYARD_API_KEY: CLIENT_KEY,
      OPENAI_API_KEY: USER_KEY,
      RUST_LOG: "error",
      NO_COLOR: "1",
    },
    timeoutMs: 120_000,
    cwd,
  });
}

const codexArgs = (...overrides: string[]) => [
  "--",
  codexBin,
  ...overrides,
  "exec",
  "--skip-git-repo-check",
  "--ephemeral",
  "--json",
  "hi",
];

/** The agent's final message in `codex exec --json` output. */
function answerOf(stdout: string): string | undefined {
  const items = stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { type?: string; item?: { type?: string; text?: string } })
    .filter((e) => e.type === "item.completed" && e.item?.type === "agent_message");
  return items.at(-1)?.item?.text;
}

async function capture(name: string, ...overrides: string[]) {
  const out = join(dir, `${name}.har`);
  const run = await switchyard(["capture", "--out", out, ...codexArgs(...overrides)]);
  expect(run.code, run.stderr + run.stdout).toBe(0);
  expect(run.stderr).toContain(`written to ${out}`);
  const text = await readFile(out, "utf8");
  return { har: parseCassette(text) as HarLog, text, answer: answerOf(run.stdout) };
}

describe("switchyard capture -- codex (real Codex CLI, echo backend)", () => {
  let a: Awaited<ReturnType<typeof capture>>;

  it("records Codex's real POST /v1/responses as valid HAR with its instructions and tools, and no key", async () => {
    a = await capture("a");
    expect(a.answer).toBe("hi");
    await expect(harValidator.har(JSON.parse(a.text))).resolves.toBeTruthy();
    const snippet = new HTTPSnippet(JSON.parse(a.text));
    expect(snippet.requests.length).toBe(a.har.log.entries.length);
    // Over HTTPS transport from the first request: no WebSocket upgrade attempts.
    expect(a.har.log.entries.map((e) => `${e.request.method} ${entryPath(e)}`)).toEqual([
      "POST /v1/responses",
    ]);
    expect(a.text).not.toContain("CANARYcodex");
    const auth = a.har.log.entries[0]?.request.headers.find((h) => h.name === "authorization");
    expect(auth?.value).toMatch(/^Bearer <scrubbed:/);

    const template = extractTemplate(a.har);
    expect(template.system.text).toMatch(/Codex/);
    expect(template.system.tokens).toBeGreaterThan(1000);
    const names = template.tools.map((t) => t.name);
    expect(names.some((n) => ["exec_command", "shell_command", "shell"].includes(n))).toBe(true);
    expect(template.parameters.stream).toBe(true);
    expect(a.har.log.browser?.name).toMatch(/^codex/);
    expect(a.har.log._switchyard).toMatchObject({ tool: "codex", backend: "echo" });
    const stream = a.har.log.entries[0]?.response.content;
    expect(stream?._sseEvents?.length).toBeGreaterThan(3);
    expect(stream?.text).toContain("response.completed");
  }, 150_000);

  it("diffs two identical runs as identical, and changed instructions as exactly that", async () => {
    const again = await capture("a2");
    expect(diffTemplates(extractTemplate(a.har), extractTemplate(again.har)).identical).toBe(true);
    const shown = await switchyard(["capture", "diff", join(dir, "a.har"), join(dir, "a2.har")]);
    expect(shown.stdout).toBe("no differences\n");

    const b = await capture("b", "-c", 'developer_instructions="Always answer in French."');
    const diff = diffTemplates(extractTemplate(a.har), extractTemplate(b.har));
    expect(diff.identical).toBe(false);
    const changed = (diff.system?.patch ?? "")
      .split("\n")
      .filter((l) => /^[+-](?![+-]{2} )/.test(l) && l.trim().length > 1);
    expect(changed).toEqual(["+Always answer in French."]);
    expect(diff.tools).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.parameters).toEqual([]);
    expect(diff.headers).toEqual([]);
  }, 300_000);

  it("replays the capture to Codex offline through a replay backend", async () => {
    const config = join(dir, "replay.json");
    await writeFile(
      config,
      JSON.stringify({
        port: 0,
        backends: { cx: { type: "replay", cassette: join(dir, "a.har"), pacing: "recorded" } },
        defaultBackend: "cx",
      }),
    );
    const run = await switchyard(["run", "--config", config, ...codexArgs()]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stderr).toContain("started a proxy for this run");
    expect(answerOf(run.stdout)).toBe(a.answer);
  }, 150_000);
});
