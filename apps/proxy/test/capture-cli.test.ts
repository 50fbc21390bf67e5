/**
 * `switchyard capture -- <cmd>` with a plain script as the tool: the launcher's variables
 * reach it, `--scrub` patterns and the tool's own key are scrubbed, and `capture export`,
 * `show` and `diff` read the result (sub-commands are not mistaken for the recorder's options).
 */
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, ensureBuilt, runCli, tempHome } from "./cli-helpers.js";

const KEY = "tool-key-without-any-known-shape-42";
const tool = `
const res = await fetch(process.env.ANTHROPIC_BASE_URL + "/v1/messages", {
  method: "POST",
  headers: { "content-type": "application/json", "x-api-key": process.env.ANTHROPIC_API_KEY },
  body: JSON.stringify({ model: "claude-x", max_tokens: 20, system: "ticket CORP-123456",
    tools: [{ name: "t", description: "d", input_schema: { type: "object" } }],
    messages: [{ role: "user", content: "hi " + process.env.OPENAI_BASE_URL }] }),
});
console.log(res.status);
`;

let home: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  await ensureBuilt();
  ({ home, cleanup } = await tempHome());
  await writeFile(join(home, "config.json"), JSON.stringify({ port: 0, defaultBackend: "echo" }));
  await writeFile(join(home, "tool.mjs"), tool);
});
afterAll(async () => cleanup());

describe("switchyard capture (CLI)", () => {
  it("records a tool run through the launcher, scrubbing its key and --scrub matches", async () => {
    const out = join(home, "t.har");
    const run = await runCli(
      [
        "capture",
        "--out",
        out,
        "--scrub",
        "CORP-[0-9]{6}",
        "--",
        process.execPath,
        join(home, "tool.mjs"),
      ],
      { env: cliEnv(home, { ANTHROPIC_API_KEY: KEY }), timeoutMs: 30_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("200\n");
    expect(run.stderr).toContain(`capture: 1 exchange(s) written to ${out}`);
    const text = await readFile(out, "utf8");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain("CORP-123456");
    expect(text).toContain("ticket <scrubbed:pattern#1>");
    // The tool saw OPENAI_BASE_URL pointed at the same proxy, with /v1.
    expect(text).toMatch(/hi http:\/\/127\.0\.0\.1:\d+\/v1/);
  });

  it("exports, shows and diffs a capture; sub-command options are theirs", async () => {
    const env = cliEnv(home);
    const har = join(home, "t.har");
    const exported = await runCli(["capture", "export", har, "--fixtures", join(home, "fx")], {
      env,
    });
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    expect((await readdir(join(home, "fx"))).sort()).toEqual([
      "01-messages.request.json",
      "01-messages.response.json",
    ]);
    const shown = await runCli(["capture", "show", har], { env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^tool +tool$/m);
    expect(shown.stdout).toMatch(/^tools +1, ~\d+ tokens/m);
    const diff = await runCli(["capture", "diff", har, har, "--json"], { env });
    expect(JSON.parse(diff.stdout)).toMatchObject({ identical: true });
  });

  it("refuses a bad --scrub pattern and a missing command clearly", async () => {
    const env = cliEnv(home);
    const bad = await runCli(["capture", "--scrub", "(", "--", "true"], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^switchyard: --scrub: scrub pattern \(: /);
    const none = await runCli(["capture"], { env });
    expect(none.stderr).toBe(
      "switchyard: no command to run: switchyard capture [--out FILE.har] -- <command> [args...]\n",
    );
    await rm(join(home, "fx"), { recursive: true, force: true });
  });
});
