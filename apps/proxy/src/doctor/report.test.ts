import { describe, expect, it } from "vitest";
import { CONFIG_DEFAULTS } from "../config/defaults.js";
import type { ResolvedConfig } from "../config/types.js";
import { formatDoctorReport, type HttpGet, runDoctor } from "./report.js";

const SECRET = "sk-doctor-canary-0123456789";

function config(backends: ResolvedConfig["backends"]): ResolvedConfig {
  return {
    home: "/nonexistent/switchyard-home",
    configPath: "/nonexistent/switchyard-home/config.json",
    configFileExists: true,
    port: 0,
    host: "127.0.0.1",
    allowedOrigins: [],
    backends: { echo: { type: "echo" }, ...backends },
    routes: [],
    budgets: [],
    overageGuard: { ...CONFIG_DEFAULTS.overageGuard },
    prices: {},
    maxBodyBytes: CONFIG_DEFAULTS.maxBodyBytes,
    timeouts: { ...CONFIG_DEFAULTS.timeouts },
    shutdownGraceMs: 10,
    verbose: false,
    mcp: { enableActions: false },
    sources: {},
  };
}

describe("runDoctor", () => {
  it("reports each backend from injected transport and claude probe, with no secret anywhere", async () => {
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const fakeGet: HttpGet = async (url, init) => {
      calls.push({ url, headers: init.headers ?? {} });
      if (url.includes("down"))
        throw Object.assign(new Error("getaddrinfo"), { code: "ENOTFOUND" });
      return { status: url.includes("bad") ? 401 : 200 };
    };
    const report = await runDoctor({
      version: "1.2.3",
      config: config({
        ok: { type: "openai", baseUrl: `http://up.test/${SECRET}/v1`, apiKey: SECRET },
        bad: { type: "anthropic", baseUrl: "http://bad.test", apiKey: SECRET },
        down: { type: "openai", baseUrl: "http://down.test/v1" },
        cc: { type: "claude-code", binary: "/opt/claude" },
      }),
      httpGet: fakeGet,
      probeClaude: async (binary) =>
        binary === "/opt/claude"
          ? { installed: true, path: "/opt/claude", version: "2.0.0" }
          : { installed: false, error: "claude CLI not found (claude): install Claude Code" },
      now: () => new Date("2026-01-02T03:04:05Z"),
    });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId["backend:ok"]).toMatchObject({ status: "ok" });
    expect(byId["backend:bad"]).toMatchObject({
      status: "fail",
      summary: expect.stringMatching(
        /^http:\/\/bad\.test\/v1\/models: key rejected \(HTTP 401, \d+ ms\)$/,
      ),
    });
    expect(byId["backend:down"]?.summary).toContain("unreachable (ENOTFOUND)");
    expect(byId["backend:cc"]).toMatchObject({
      status: "ok",
      summary: "/opt/claude 2.0.0 at /opt/claude",
      details: ["quota: no quota snapshot: assume limited"],
    });
    // The claude-code backend's own line covers the CLI: no second `claude` line.
    expect(byId.claude).toBeUndefined();
    expect(report.ok).toBe(false);
    expect(report.generatedAt).toBe("2026-01-02T03:04:05.000Z");
    // The key went upstream in the right header for each protocol ...
    expect(calls.find((c) => c.url.startsWith("http://up.test"))?.headers.authorization).toBe(
      `Bearer ${SECRET}`,
    );
    expect(calls.find((c) => c.url.startsWith("http://bad.test"))?.headers["x-api-key"]).toBe(
      SECRET,
    );
    // ... but never into the report, even when it is part of a URL.
    const text = formatDoctorReport(report);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(text).not.toContain(SECRET);
    expect(text).toContain("[redacted]");
    expect(text).toMatch(/^\[FAIL\] backend:bad\s+http:\/\/bad\.test\/v1\/models: key rejected/m);
    expect(text).toContain("switchyard 1.2.3 · node ");
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/^2 failures, \d+ warnings?$/);
  });

  it("does not call a signed-in backend's 401 a missing key: its signin check covers the token", async () => {
    const report = await runDoctor({
      version: "1",
      config: config({
        sso: {
          type: "openai",
          baseUrl: "http://gateway.test/v1",
          auth: { type: "oidc", issuer: "http://idp.test", clientId: "switchyard" },
        },
        plain: { type: "openai", baseUrl: "http://gateway.test/v1" },
      }),
      httpGet: async () => ({ status: 401 }),
      probeClaude: async () => ({ installed: false, error: "no claude" }),
      now: () => new Date("2026-01-02T03:04:05Z"),
    });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId["backend:sso"]).toMatchObject({
      status: "ok",
      summary: expect.stringContaining("reachable (HTTP 401"),
    });
    expect(byId["backend:sso"]?.summary).not.toContain("no key");
    expect(byId["signin:sso"]?.status).toBe("warn"); // not signed in: said once, there
    expect(byId["backend:plain"]?.summary).toContain("no key is configured");
  });

  it("says a missing claude CLI once, and never plain 'valid' under a failing config", async () => {
    const report = await runDoctor({
      version: "1.2.3",
      config: {
        ...config({ cc: { type: "claude-code" } }),
        unavailableBackends: { g: "apiKey refers to environment variable NOPE, which is not set" },
      },
      httpGet: async () => ({ status: 200 }),
      probeClaude: async () => ({ installed: false, error: "claude CLI not found (claude)" }),
      checkPort: false,
    });
    const text = formatDoctorReport(report);
    expect(text.match(/claude CLI not found/g)).toHaveLength(1);
    const configCheck = report.checks.find((c) => c.id === "config");
    expect(configCheck?.status).toBe("fail");
    expect(configCheck?.summary).toContain("valid, but backend g cannot serve");
  });
});
