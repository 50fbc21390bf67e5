import type { ResolvedConfig } from "../../src/config/types.js";

/** A complete ResolvedConfig for tests: loopback, port 0, echo only, overridable. */
export function testConfig(overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    home: "/nonexistent/switchyard-test-home",
    configPath: "/nonexistent/switchyard-test-home/config.json",
    configFileExists: false,
    port: 0,
    host: "127.0.0.1",
    allowedOrigins: [],
    backends: { echo: { type: "echo" } },
    routes: [],
    budgets: [],
    overageGuard: { enabled: false, behavior: "halt", cooldownMs: 0, notifyOs: false },
    prices: {},
    maxBodyBytes: 1024 * 1024,
    timeouts: { connectMs: 2000, firstByteMs: 5000, idleMs: 5000, totalMs: 30_000 },
    shutdownGraceMs: 2000,
    verbose: false,
    mcp: { enableActions: false },
    sources: {},
    ...overrides,
  };
}
