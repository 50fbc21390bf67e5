import { join } from "node:path";
import {
  CLAUDE_QUOTA_FILE,
  type ClaudeCliProbe,
  decideClaudeRouting,
  readClaudeQuota,
} from "../backends/claude-code/index.js";
import { CODEX_QUOTA_FILE, type CodexCliProbe } from "../backends/codex/index.js";
import type { BackendConfig, ResolvedConfig } from "../config/types.js";
import { displayUrl } from "../config/values.js";
import { describeGetError, type HttpGet } from "./http-get.js";
import type { DoctorCheck } from "./types.js";

type HttpBackend = Extract<BackendConfig, { type: "openai" | "anthropic" }>;

/**
 * Probe every backend: HTTP ones with `GET <models endpoint>`, claude-code ones with
 * `--version`, codex ones with `--version` and `login status`.
 */
export async function probeBackends(options: {
  config: ResolvedConfig;
  httpGet: HttpGet;
  timeoutMs: number;
  probeClaude: (binary: string) => Promise<ClaudeCliProbe>;
  probeCodex: (binary: string) => Promise<CodexCliProbe>;
  now: Date;
}): Promise<DoctorCheck[]> {
  const entries = Object.entries(options.config.backends);
  return Promise.all(
    entries.map(async ([name, backend]): Promise<DoctorCheck> => {
      const id = `backend:${name}`;
      if (backend.type === "echo") return { id, status: "ok", summary: "built in, no network" };
      if (backend.type === "replay") {
        return { id, status: "ok", summary: `replays ${backend.cassette}, no network` };
      }
      if (backend.type === "claude-code") {
        return probeClaudeBackend(id, backend.binary ?? "claude", options);
      }
      if (backend.type === "codex") {
        return probeCodexBackend(id, backend.binary ?? "codex", options);
      }
      return probeHttp(id, backend, options);
    }),
  );
}

async function probeHttp(
  id: string,
  backend: HttpBackend,
  options: { httpGet: HttpGet; timeoutMs: number },
): Promise<DoctorCheck> {
  const targets = backend.targets?.length
    ? backend.targets.map((t) => ({ baseUrl: t.baseUrl, apiKey: t.apiKey ?? backend.apiKey }))
    : backend.baseUrl
      ? [{ baseUrl: backend.baseUrl, apiKey: backend.apiKey }]
      : [];
  if (targets.length === 0) return { id, status: "fail", summary: "no baseUrl or targets" };
  const results = await Promise.all(
    targets.map((target) => probeOne(backend, target.baseUrl, target.apiKey, options)),
  );
  const worst = results.reduce(
    (a, r) => (rank[r.status] > rank[a] ? r.status : a),
    "ok" as DoctorCheck["status"],
  );
  if (results.length === 1) return { id, status: worst, summary: results[0]?.line ?? "" };
  return {
    id,
    status: worst,
    summary: `${results.length} targets`,
    details: results.map((r) => r.line),
  };
}

const rank = { ok: 0, info: 1, warn: 2, fail: 3 } as const;

async function probeOne(
  backend: HttpBackend,
  baseUrl: string,
  apiKey: string | undefined,
  options: { httpGet: HttpGet; timeoutMs: number },
): Promise<{ status: DoctorCheck["status"]; line: string }> {
  const base = baseUrl.replace(/\/+$/, "");
  // Anthropic's base URL usually has no /v1 (the server accepts both); OpenAI-compatible base
  // URLs end in /v1 or the provider's own prefix.
  const url =
    backend.type === "anthropic" && !base.endsWith("/v1") ? `${base}/v1/models` : `${base}/models`;
  const headers: Record<string, string> = { ...(backend.headers ?? {}) };
  if (backend.type === "anthropic") {
    headers["anthropic-version"] = "2023-06-01";
    if (apiKey) headers["x-api-key"] = apiKey;
  } else if (apiKey) {
    headers.authorization = `Bearer ${apiKey}`;
  }
  const shown = displayUrl(url);
  const started = performance.now();
  let status: number;
  try {
    ({ status } = await options.httpGet(url, { headers, timeoutMs: options.timeoutMs }));
  } catch (error) {
    return {
      status: "fail",
      line: `${shown}: unreachable (${describeGetError(error, options.timeoutMs)})`,
    };
  }
  const ms = Math.round(performance.now() - started);
  const http = `HTTP ${status}, ${ms} ms`;
  if (status >= 200 && status < 300) {
    // Some providers list models without checking the key: a 2xx proves reachability only.
    return { status: "ok", line: `${shown}: reachable (${http})` };
  }
  if (status === 401 || status === 403) {
    // A signed-in backend's token is not sent by a probe: its `signin:` check says its state.
    if (backend.auth !== undefined)
      return { status: "ok", line: `${shown}: reachable (${http}; sign-in: see the signin check)` };
    return apiKey
      ? { status: "fail", line: `${shown}: key rejected (${http})` }
      : { status: "warn", line: `${shown}: reachable, but no key is configured (${http})` };
  }
  if (status >= 500)
    return { status: "warn", line: `${shown}: reachable, upstream error (${http})` };
  return { status: "ok", line: `${shown}: reachable (${http})` };
}

/** The CLI's version and what the last seen Claude quota signal says (no request is made). */
async function probeClaudeBackend(
  id: string,
  binary: string,
  options: {
    config: ResolvedConfig;
    probeClaude: (binary: string) => Promise<ClaudeCliProbe>;
    now: Date;
  },
): Promise<DoctorCheck> {
  const [probe, snapshot] = await Promise.all([
    options.probeClaude(binary),
    readClaudeQuota(join(options.config.home, CLAUDE_QUOTA_FILE)),
  ]);
  if (!probe.installed) {
    return { id, status: "fail", summary: probe.error ?? `${binary} is not usable` };
  }
  const quota = decideClaudeRouting(snapshot, options.now.getTime());
  return {
    id,
    status: snapshot?.status === "exhausted" && quota.fresh ? "warn" : "ok",
    summary: `${binary} ${probe.version ?? "(version unknown)"}${probe.path ? ` at ${probe.path}` : ""}`,
    details: [`quota: ${quota.reason}`],
  };
}

/** The codex CLI's version, path and login, and what its last quota signal says (no request). */
async function probeCodexBackend(
  id: string,
  binary: string,
  options: {
    config: ResolvedConfig;
    probeCodex: (binary: string) => Promise<CodexCliProbe>;
    now: Date;
  },
): Promise<DoctorCheck> {
  const [probe, snapshot] = await Promise.all([
    options.probeCodex(binary),
    readClaudeQuota(join(options.config.home, CODEX_QUOTA_FILE)),
  ]);
  if (!probe.installed) {
    return { id, status: "fail", summary: probe.error ?? `${binary} is not usable` };
  }
  const quota = decideClaudeRouting(snapshot, options.now.getTime());
  const login =
    probe.loggedIn === undefined
      ? "login: unknown (`codex login status` did not answer)"
      : probe.loggedIn
        ? `login: logged in${probe.login === undefined ? "" : ` with ${probe.login}`}`
        : "login: not logged in (run `codex login`; fine if your Codex config uses a provider with its own key)";
  return {
    id,
    status:
      probe.loggedIn === false || (snapshot?.status === "exhausted" && quota.fresh) ? "warn" : "ok",
    summary: `${binary} ${probe.version ?? "(version unknown)"}${probe.path ? ` at ${probe.path}` : ""}`,
    details: [login, `quota: ${quota.reason}`],
  };
}
