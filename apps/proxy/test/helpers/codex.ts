import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The real Codex CLI installed as a dev dependency. */
export const codexBin = join(import.meta.dirname, "../../node_modules/.bin/codex");

/**
 * A temporary CODEX_HOME whose config.toml points Codex at `baseUrl` through a custom
 * Responses provider (without `baseUrl`, none: `switchyard run` gives Codex its own), with
 * retries, telemetry, update checks and plugins off: fully offline.
 */
export function createCodexHome(options: { baseUrl?: string; model: string }): string {
  const home = mkdtempSync(join(tmpdir(), "switchyard-codex-home-"));
  const provider =
    options.baseUrl === undefined
      ? ""
      : `model_provider = "switchyard"

[model_providers.switchyard]
name = "switchyard"
base_url = ${JSON.stringify(options.baseUrl)}
wire_api = "responses"
env_key = "SWITCHYARD_CODEX_TEST_KEY"
request_max_retries = 0
stream_max_retries = 0
`;
  writeFileSync(
    join(home, "config.toml"),
    `model = ${JSON.stringify(options.model)}
approval_policy = "never"
sandbox_mode = "read-only"
check_for_update_on_startup = false
${provider}
[analytics]
enabled = false

[feedback]
enabled = false

[features]
apps = false
plugins = false
remote_plugin = false
plugin_sharing = false
in_app_updates = false
`,
  );
  return home;
}

/** What one `codex exec --json` run printed and how it ended. */
export interface CodexRun {
  code: number | null;
  events: Array<Record<string, unknown>>;
  stderr: string;
}

/** Runs `codex exec --skip-git-repo-check --ephemeral --json <prompt>` (bounded in time). */
export function runCodex(options: {
  home: string;
  cwd: string;
  prompt: string;
  timeoutMs?: number;
}): Promise<CodexRun> {
  const { home, cwd, prompt, timeoutMs = 90_000 } = options;
  return new Promise((resolve) => {
    const child = spawn(
      codexBin,
      ["exec", "--skip-git-repo-check", "--ephemeral", "--json", prompt],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: home,
          CODEX_HOME: home,
          SWITCHYARD_CODEX_TEST_KEY: "codex-test-key",
          RUST_LOG: "error",
          NO_COLOR: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      const events = stdout
        .split("\n")
        .filter((l) => l.trim().startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, events, stderr });
    });
  });
}
