/**
 * The server hands its own home to the claude-code backend: the quota cache, session map and
 * default working directory land there, never in `$SWITCHYARD_HOME` or `~/.switchyard` of the
 * process (a test once rewrote the real `~/.switchyard/claude-quota.json`).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningServer, startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";

const fixture = join(
  import.meta.dirname,
  "../src/backends/claude-code/__fixtures__/not-logged-in.jsonl",
);

/** A stand-in `claude` that answers "out of extra usage" the way the real CLI does. */
const script = `#!/usr/bin/env node
const fs = require("node:fs");
process.stdin.resume();
process.stdin.on("end", () => {
  for (const line of fs.readFileSync(${JSON.stringify(fixture)}, "utf8").split("\\n").filter(Boolean))
    process.stdout.write(line.split("Not logged in \\u00b7 Please run /login").join("You're out of extra usage \\u00b7 resets 4am (UTC)") + "\\n");
  process.exitCode = 1;
});
`;

describe("claude-code backend home", () => {
  let server: RunningServer;
  let home: string;
  let envHome: string;
  let dir: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "switchyard-cch-home-"));
    envHome = mkdtempSync(join(tmpdir(), "switchyard-cch-env-"));
    dir = mkdtempSync(join(tmpdir(), "switchyard-cch-bin-"));
    const fake = join(dir, "claude");
    writeFileSync(fake, script);
    chmodSync(fake, 0o755);
    // The process's own home points elsewhere: only the server's config.home may be used.
    vi.stubEnv("SWITCHYARD_HOME", envHome);
    server = await startServer({
      // the built-in factory, as `switchyard proxy` uses it
      config: testConfig({ home, backends: { claude: { type: "claude-code", binary: fake } } }),
      version: "test",
    });
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await server?.close(500);
    for (const d of [home, envHome, dir]) rmSync(d, { recursive: true, force: true });
  });

  it("writes the quota snapshot and working dir under the server's home only", async () => {
    const anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    const error = await anthropic.messages
      .create({
        model: "claude:sonnet",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    // The snapshot is saved after the answer (off the response path): wait for it, bounded.
    const snapshot = await vi.waitFor(
      () => JSON.parse(readFileSync(join(home, "claude-quota.json"), "utf8")),
      { timeout: 5_000, interval: 50 },
    );
    expect(snapshot).toMatchObject({ status: "exhausted" });
    expect(existsSync(join(home, "claude-code"))).toBe(true);
    expect(existsSync(join(envHome, "claude-quota.json"))).toBe(false);
    expect(existsSync(join(envHome, "claude-code"))).toBe(false);
  });
});
