import { runProbeCommand } from "../cli-runner/probe-cli.js";
import { CodexError, codexNotInstalled } from "./errors.js";

/**
 * The names of the MCP servers the user's Codex configuration enables, as the CLI itself lists
 * them (`codex mcp list --json`; switchyard reads no Codex file). Each run turns every one off
 * with `-c mcp_servers.<name>.enabled=false`: their tools could read files or reach the
 * network. (A blanket `-c mcp_servers={}` does not do it: the CLI merges overrides into the
 * table, and an override for a server that does not exist makes the CLI reject its config.)
 * Throws when the CLI cannot list them, so no run starts with the user's servers on.
 */
export async function listCodexMcpServers(options: {
  binary: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<string[]> {
  const { binary, env, timeoutMs = 15_000 } = options;
  const run = await runProbeCommand(binary, ["mcp", "list", "--json"], {
    timeoutMs,
    env,
    cwd: options.cwd,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    parsed = undefined;
  }
  if (run.spawnError !== undefined) throw codexNotInstalled(binary, run.spawnError);
  if (run.code !== 0 || !Array.isArray(parsed)) {
    const why = run.timedOut
      ? `timed out after ${timeoutMs} ms`
      : `exited with ${run.code ?? "an error"}`;
    throw new CodexError(
      "cli_failed",
      `the codex CLI could not list its MCP servers to turn them off (\`${binary} mcp list --json\` ${why})`,
    );
  }
  return parsed
    .filter((s): s is { name: string; enabled?: unknown } => typeof s?.name === "string")
    .filter((s) => s.enabled !== false)
    .map((s) => s.name);
}
