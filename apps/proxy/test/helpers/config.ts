import { mkdtempSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ResolvedConfig } from "../../src/config/types.js";

/** A complete ResolvedConfig for tests: loopback, port 0, echo only, overridable. */
export function testConfig(overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  // A fresh home under the run's temp HOME (vitest.home-guard.ts removes it at the end): a
  // server writes its usage log there, and one test's records must not reach another's
  // traffic history (a fixed path such as /nonexistent/… is writable when tests run as root).
  const home = mkdtempSync(join(homedir(), "switchyard-config-home-"));
  return {
    home,
    configPath: join(home, "config.json"),
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
