import type { ClaudeCliProbe } from "../backends/claude-code/index.js";
import type { CodexCliProbe } from "../backends/codex/index.js";
import type { ConfigFlags } from "../config/load.js";
import type { ResolvedConfig } from "../config/types.js";
import type { HttpGet } from "./http-get.js";

/** How a check came out. `info` is neither good nor bad (e.g. an optional tool is missing). */
export type DoctorStatus = "ok" | "info" | "warn" | "fail";

/** One line of the doctor report. */
export interface DoctorCheck {
  /** Stable id: `runtime`, `config`, `files`, `backend:<name>`, `signin:<name>`, `port`, `claude`. */
  id: string;
  status: DoctorStatus;
  /** One line a human can act on. Never a secret. */
  summary: string;
  /** Extra lines (e.g. every bad field). */
  details?: string[];
}

/** The whole report: paste-ready with {@link formatDoctorReport}, or serve it as JSON. */
export interface DoctorReport {
  generatedAt: string;
  switchyard: string;
  node: string;
  platform: string;
  configPath: string;
  /** False when any check failed. */
  ok: boolean;
  checks: DoctorCheck[];
}

/** Options for {@link runDoctor}. */
export interface DoctorOptions {
  /** The switchyard version to report. */
  version: string;
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Flags as `switchyard proxy` would get them (`--config`, `--port`, `--host`). */
  flags?: ConfigFlags;
  /** Use this config instead of loading one (the running server passes its own). */
  config?: ResolvedConfig;
  /** Check whether the configured port is free. Default true; a running server passes false. */
  checkPort?: boolean;
  /** Per-backend probe timeout. Default 2000 ms. */
  backendTimeoutMs?: number;
  /** `claude --version` timeout. Default 5000 ms. */
  commandTimeoutMs?: number;
  /** GET transport for backend probes and the port check; default undici (`httpGet`). */
  httpGet?: HttpGet;
  /** Probes a `claude` binary (`--version`); default `probeClaudeCli` of the claude-code backend. */
  probeClaude?: (binary: string) => Promise<ClaudeCliProbe>;
  /** Probes a `codex` binary (`--version`, `login status`); default `probeCodexCli`. */
  probeCodex?: (binary: string) => Promise<CodexCliProbe>;
  now?: () => Date;
}
