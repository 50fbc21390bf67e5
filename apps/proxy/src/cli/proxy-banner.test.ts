import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { cliCommand, formatBanner } from "./proxy-banner.js";

const home = "/nonexistent-switchyard-banner-home";

describe("formatBanner", () => {
  it("says when the proxy is bound to every interface, and never prints the key", async () => {
    const key = "sk-banner-client-key-123";
    const config = await loadConfig({
      flags: { host: "0.0.0.0" },
      env: { SWITCHYARD_HOME: home, SWITCHYARD_API_KEY: key },
    });
    const banner = formatBanner({ config, version: "1.2.3", url: "", port: 4567 });
    expect(banner).toContain(
      "listening on http://127.0.0.1:4567 (bound to 0.0.0.0: every network interface)",
    );
    expect(banner).toContain("clients must send the client key");
    expect(banner).not.toContain(key);
    const local = await loadConfig({ env: { SWITCHYARD_HOME: home } });
    expect(formatBanner({ config: local, version: "1", url: "", port: 1 })).toMatch(
      /listening on http:\/\/127\.0\.0\.1:1\n/,
    );
  });

  it("suggests a preset that is not configured yet, with a key only when it needs one", async () => {
    const config = await loadConfig({ env: { SWITCHYARD_HOME: home } });
    const line = (c: typeof config) =>
      formatBanner({ config: c, version: "1", url: "", port: 1 })
        .split("\n")
        .find((l) => l.includes("add one"));
    expect(line(config)).toContain("switchyard backend add groq --key -");
    expect(line(config)).toContain("claude-code");
    const some = {
      ...config,
      backends: {
        ...config.backends,
        groq: { type: "openai", baseUrl: "http://127.0.0.1:1/v1" },
        openrouter: { type: "openai", baseUrl: "http://127.0.0.1:2/v1" },
        openai: { type: "openai", baseUrl: "http://127.0.0.1:3/v1" },
        anthropic: { type: "anthropic", baseUrl: "http://127.0.0.1:4" },
      },
    } as typeof config;
    expect(line(some)).toContain("switchyard backend add ollama     ");
  });

  it("names the command a clone has (pnpm -s switchyard), and the installed one elsewhere", async () => {
    const config = await loadConfig({ env: { SWITCHYARD_HOME: home } });
    const banner = formatBanner({
      config,
      version: "1",
      url: "",
      port: 1,
      command: "pnpm -s switchyard",
    });
    expect(banner).toContain("add one   pnpm -s switchyard backend add groq --key -");
    const workspace = (dir: string) => dir === "/src/switchyard";
    expect(cliCommand("/src/switchyard/apps/proxy/dist/cli.js", workspace)).toBe(
      "pnpm -s switchyard",
    );
    expect(cliCommand("/usr/lib/node_modules/@switchyard/cli/dist/cli.js", workspace)).toBe(
      "switchyard",
    );
    expect(cliCommand("/elsewhere/apps/proxy/dist/cli.js", workspace)).toBe("switchyard");
    expect(cliCommand(undefined, workspace)).toBe("switchyard");
  });
});
