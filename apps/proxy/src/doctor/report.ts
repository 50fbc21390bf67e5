import { release } from "node:os";
import { type ClaudeCliProbe, probeClaudeCli } from "../backends/claude-code/index.js";
import { probeCodexCli } from "../backends/codex/index.js";
import { ConfigError } from "../config/errors.js";
import { resolveConfigPath, resolveHome } from "../config/home.js";
import { loadConfig } from "../config/load.js";
import { collectSecrets, scrubSecrets } from "../config/redact.js";
import type { ResolvedConfig } from "../config/types.js";
import { httpGet } from "./http-get.js";
import { probeBackends } from "./probe-backends.js";
import { checkSignIns } from "./sign-in-checks.js";
import { checkClaude, checkFiles, checkPort, checkRuntime } from "./system-checks.js";
import type { DoctorCheck, DoctorOptions, DoctorReport } from "./types.js";

export type { HttpGet, HttpGetResult } from "./http-get.js";
export type {
  DoctorCheck,
  DoctorOptions,
  DoctorReport,
  DoctorStatus,
} from "./types.js";

/**
 * Run every check and return one report with no secret in it: versions, config validity,
 * backend reachability, file modes, port, and the `claude` CLI.
 * @example
 * const report = await runDoctor({ version: "1.0.0" });
 * console.log(formatDoctorReport(report));
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const get = options.httpGet ?? httpGet;
  const commandTimeoutMs = options.commandTimeoutMs ?? 5000;
  const probe =
    options.probeClaude ??
    ((binary: string) => probeClaudeCli({ binary, timeoutMs: commandTimeoutMs, env }));
  // One `--version` run per binary, shared by the backend checks and the `claude` check.
  const probes = new Map<string, Promise<ClaudeCliProbe>>();
  const probeOnce = (binary: string) => {
    let result = probes.get(binary);
    if (!result) {
      result = probe(binary);
      probes.set(binary, result);
    }
    return result;
  };

  const checks: DoctorCheck[] = [checkRuntime(process.version)];
  const { config, check } = await loadForDoctor(options, env);
  checks.push(check);
  const home = config?.home ?? resolveHome(env);
  const configPath =
    config?.configPath ?? resolveConfigPath({ flag: options.flags?.config, env, home }).path;

  const pending: Promise<DoctorCheck | DoctorCheck[]>[] = [checkFiles({ home, configPath })];
  if (config) {
    pending.push(
      probeBackends({
        config,
        httpGet: get,
        timeoutMs: options.backendTimeoutMs ?? 2000,
        probeClaude: probeOnce,
        probeCodex:
          options.probeCodex ??
          ((binary: string) => probeCodexCli({ binary, timeoutMs: commandTimeoutMs, env })),
        now: options.now?.() ?? new Date(),
      }),
    );
    pending.push(checkSignIns(config));
    if (options.checkPort !== false) {
      pending.push(checkPort({ host: config.host, port: config.port, httpGet: get }));
    }
  }
  // A claude-code backend's own check already probes its binary (found or not): the general
  // `claude` line would say the same thing twice. It is shown only when no backend uses it.
  const hasClaudeBackend = config
    ? Object.values(config.backends).some((b) => b.type === "claude-code")
    : false;
  if (!hasClaudeBackend) pending.push(checkClaude({ probe: probeOnce, required: false }));
  for (const result of await Promise.all(pending)) checks.push(...[result].flat());

  const secrets = config ? collectSecrets(config) : [];
  const scrub = (text: string) => scrubSecrets(text, secrets);
  const clean = checks.map((c) => ({
    ...c,
    summary: scrub(c.summary),
    ...(c.details ? { details: c.details.map(scrub) } : {}),
  }));
  return {
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
    switchyard: options.version,
    node: process.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    configPath,
    ok: clean.every((c) => c.status !== "fail"),
    checks: clean,
  };
}

async function loadForDoctor(
  options: DoctorOptions,
  env: Record<string, string | undefined>,
): Promise<{ config?: ResolvedConfig; check: DoctorCheck }> {
  const describe = (config: ResolvedConfig): DoctorCheck => {
    const backends = Object.keys(config.backends).length;
    const unavailable = Object.keys(config.unavailableBackends ?? {});
    const where = !config.configFileExists
      ? `${config.configPath}: not found (serving echo and backends from OPENAI_API_KEY / ANTHROPIC_API_KEY)`
      : unavailable.length > 0
        ? `${config.configPath}: valid, but ${unavailable.length === 1 ? "backend" : "backends"} ${unavailable.join(", ")} cannot serve`
        : `${config.configPath}: valid`;
    const warnings = config.warnings ?? [];
    return {
      id: "config",
      // A backend without its key answers every request with a 503: that is a failure.
      status: config.unavailableBackends
        ? "fail"
        : warnings.length > 0
          ? "warn"
          : config.configFileExists
            ? "ok"
            : "info",
      summary: `${where}; ${backends} backend${backends === 1 ? "" : "s"}, ${config.routes.length} route${config.routes.length === 1 ? "" : "s"}, listening on ${config.host}:${config.port}`,
      ...(warnings.length > 0 ? { details: warnings } : {}),
    };
  };
  if (options.config) return { config: options.config, check: describe(options.config) };
  try {
    const config = await loadConfig({ flags: options.flags ?? {}, env });
    return { config, check: describe(config) };
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    const lines = error.message.split("\n");
    const check: DoctorCheck = {
      id: "config",
      status: "fail",
      summary: lines[0] ?? error.code,
      ...(lines.length > 1 ? { details: lines.slice(1) } : {}),
    };
    if (error.code !== "missing_env") return { check };
    // The rest of the config is fine: keep checking without the missing key.
    const config = await loadConfig({ flags: options.flags ?? {}, env, resolveSecrets: false });
    return { config, check };
  }
}

const LABEL = { ok: "[ ok ]", info: "[info]", warn: "[warn]", fail: "[FAIL]" } as const;

/** Render a report as plain text for pasting into an issue. */
export function formatDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.id.length));
  const lines = [
    `switchyard doctor (${report.generatedAt})`,
    `switchyard ${report.switchyard} · node ${report.node} · ${report.platform}`,
    `config: ${report.configPath}`,
    "",
  ];
  for (const check of report.checks) {
    lines.push(`${LABEL[check.status]} ${check.id.padEnd(width)}  ${check.summary}`);
    for (const detail of check.details ?? []) lines.push(`${" ".repeat(width + 9)}${detail}`);
  }
  const count = (s: DoctorCheck["status"]) => report.checks.filter((c) => c.status === s).length;
  const fails = count("fail");
  const warns = count("warn");
  lines.push(
    "",
    fails + warns === 0
      ? "all checks passed"
      : `${fails} failure${fails === 1 ? "" : "s"}, ${warns} warning${warns === 1 ? "" : "s"}`,
  );
  return `${lines.join("\n")}\n`;
}
