// Re-records the golden client fixtures: the real Claude Code and Codex CLIs and the official
// OpenAI and Anthropic SDKs, each through `switchyard capture` against the `echo` backend (no
// network, no account), scrubbed. Run after a client releases a new version:
//
//   pnpm --filter @switchyard/cli run build && pnpm --filter @switchyard/cli run record-fixtures
//
// Writes packages/openai-compat/test/fixtures/recorded/{claude-code,codex,openai-sdk,anthropic-sdk}.har
// (or into the folder given as the first argument).
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, "../dist/cli.js");
const claude = resolve(here, "../node_modules/.bin/claude");
const codex = resolve(here, "../node_modules/.bin/codex");
const out = resolve(
  process.argv[2] ?? resolve(here, "../../../packages/openai-compat/test/fixtures/recorded"),
);
// A fixed work folder: Claude Code's system prompt names its home and working directory.
const work = join(tmpdir(), "switchyard-record-fixtures");
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, "home"), { recursive: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(work, "config.json"), JSON.stringify({ port: 0, defaultBackend: "echo" }));
// Codex's own config: no provider (the launcher gives it one), everything that would go
// online off.
writeFileSync(
  join(work, "home", "config.toml"),
  [
    'model = "gpt-5.1-codex"',
    'approval_policy = "never"',
    'sandbox_mode = "read-only"',
    "check_for_update_on_startup = false",
    "[analytics]\nenabled = false",
    "[feedback]\nenabled = false",
    "[features]\napps = false\nplugins = false\nremote_plugin = false\nplugin_sharing = false\nin_app_updates = false",
    "",
  ].join("\n"),
);
const env = {
  PATH: process.env.PATH,
  HOME: join(work, "home"),
  CODEX_HOME: join(work, "home"),
  RUST_LOG: "error",
  SWITCHYARD_HOME: work,
  // A canary: the recorder must scrub it (the fixture test checks it is gone).
  ANTHROPIC_API_KEY: "sk-ant-api03-fixture-canary-0000000000000000",
  OPENAI_API_KEY: "sk-proj-fixture-canary-00000000000000000000",
  DISABLE_TELEMETRY: "1",
  DISABLE_AUTOUPDATER: "1",
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
};
const clients = {
  "claude-code": [claude, "-p", "hi", "--output-format", "stream-json", "--verbose"],
  codex: [codex, "exec", "--skip-git-repo-check", "--ephemeral", "--json", "hi"],
  "openai-sdk": [process.execPath, join(here, "sdk-client.mjs"), "openai"],
  "anthropic-sdk": [process.execPath, join(here, "sdk-client.mjs"), "anthropic"],
};
for (const [name, command] of Object.entries(clients)) {
  const file = join(out, `${name}.har`);
  const run = spawnSync(process.execPath, [cli, "capture", "--out", file, "--", ...command], {
    cwd: work,
    env,
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 180_000,
  });
  if (run.status !== 0) {
    console.error(`record-fixtures: ${name} failed (exit ${run.status})`);
    process.exit(1);
  }
}
rmSync(work, { recursive: true, force: true });
