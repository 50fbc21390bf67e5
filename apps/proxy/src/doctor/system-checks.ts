import { stat } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import type { ClaudeCliProbe } from "../backends/claude-code/index.js";
import { CREDENTIALS_FILE } from "../config/credentials.js";
import type { ResolvedConfig } from "../config/types.js";
import { connectHost } from "../config/values.js";
import type { HttpGet } from "./http-get.js";
import type { DoctorCheck } from "./types.js";

/** Node version against the package's `engines` (>= 20.19). */
export function checkRuntime(nodeVersion: string): DoctorCheck {
  const [major = 0, minor = 0] = nodeVersion.replace(/^v/, "").split(".").map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return ok
    ? { id: "runtime", status: "ok", summary: `node ${nodeVersion} (needs >= 20.19)` }
    : {
        id: "runtime",
        status: "fail",
        summary: `node ${nodeVersion} is too old; switchyard needs >= 20.19`,
      };
}

/** Modes of the home directory, credentials file and config file (POSIX only). */
export async function checkFiles(
  config: Pick<ResolvedConfig, "home" | "configPath">,
): Promise<DoctorCheck> {
  if (process.platform === "win32") {
    return { id: "files", status: "info", summary: "file modes are not checked on Windows" };
  }
  const details: string[] = [];
  let status: DoctorCheck["status"] = "ok";
  const mode = async (path: string) => {
    try {
      return (await stat(path)).mode & 0o777;
    } catch {
      return undefined;
    }
  };
  const octal = (m: number) => m.toString(8).padStart(4, "0");
  const homeMode = await mode(config.home);
  if (homeMode === undefined) details.push(`${config.home}: does not exist yet`);
  else if (homeMode & 0o077) {
    status = "warn";
    details.push(
      `${config.home}: mode ${octal(homeMode)}, expected 0700 (chmod 700 '${config.home}')`,
    );
  } else details.push(`${config.home}: mode ${octal(homeMode)}`);
  const credentials = join(config.home, CREDENTIALS_FILE);
  const credMode = await mode(credentials);
  if (credMode === undefined) details.push(`${credentials}: none (no stored keys)`);
  else if (credMode !== 0o600) {
    status = "warn";
    details.push(
      `${credentials}: mode ${octal(credMode)}, expected 0600 (chmod 600 '${credentials}')`,
    );
  } else details.push(`${credentials}: mode 0600`);
  const configMode = await mode(config.configPath);
  if (configMode !== undefined && configMode & 0o002) {
    status = "warn";
    details.push(`${config.configPath}: world-writable (chmod 600 '${config.configPath}')`);
  }
  const summary =
    status === "ok"
      ? "home directory and credential file are private"
      : "some files are readable by others";
  return { id: "files", status, summary, details };
}

/** Whether `host:port` is free, in use by a switchyard, or in use by something else. */
export async function checkPort(options: {
  host: string;
  port: number;
  httpGet: HttpGet;
}): Promise<DoctorCheck> {
  const { host, port } = options;
  if (port === 0)
    return { id: "port", status: "ok", summary: "port 0: a free port is picked at start" };
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.once("error", (e: NodeJS.ErrnoException) => resolve(e));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
  if (!error) return { id: "port", status: "ok", summary: `${host}:${port} is free` };
  if (error.code !== "EADDRINUSE") {
    return {
      id: "port",
      status: "fail",
      summary: `cannot listen on ${host}:${port} (${error.code ?? error.message})`,
    };
  }
  try {
    const { body } = (await options.httpGet(`http://${connectHost(host)}:${port}/health`, {
      timeoutMs: 1000,
      json: true,
    })) as { body?: { status?: string; version?: string } };
    if (body?.status === "ok") {
      return {
        id: "port",
        status: "info",
        summary:
          `${host}:${port} is in use by a running switchyard ${body.version ?? ""}`.trimEnd(),
      };
    }
  } catch {
    // Not a switchyard (or not HTTP).
  }
  return {
    id: "port",
    status: "fail",
    summary: `${host}:${port} is in use by another program; free it or pick another with --port`,
  };
}

/** Whether the official `claude` CLI is on PATH, and its version. */
export async function checkClaude(options: {
  probe: (binary: string) => Promise<ClaudeCliProbe>;
  required: boolean;
}): Promise<DoctorCheck> {
  const result = await options.probe("claude");
  if (result.installed) {
    return {
      id: "claude",
      status: "ok",
      summary: `claude ${result.version ?? "(version unknown)"}${result.path ? ` at ${result.path}` : ""}`,
    };
  }
  return {
    id: "claude",
    status: options.required ? "fail" : "info",
    summary: `${result.error ?? "claude CLI not usable"}${options.required ? "" : " (only needed for claude-code backends)"}`,
  };
}
