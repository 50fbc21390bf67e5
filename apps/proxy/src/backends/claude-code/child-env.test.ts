import { describe, expect, it } from "vitest";
import { childEnvironment } from "./child-env.js";

describe("childEnvironment", () => {
  it("passes the user's environment through, minus API credentials and base URLs", () => {
    const env = childEnvironment({
      HOME: "/home/ada",
      PATH: "/usr/bin",
      CLAUDE_CONFIG_DIR: "/home/ada/.claude-work",
      ANTHROPIC_API_KEY: "sk-ant-should-not-leak",
      ANTHROPIC_AUTH_TOKEN: "tok",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:3456",
      SWITCHYARD_API_KEY: "proxy-key",
    });
    expect(env).toEqual({
      HOME: "/home/ada",
      PATH: "/usr/bin",
      CLAUDE_CONFIG_DIR: "/home/ada/.claude-work",
    });
  });

  it("lets explicit overrides set anything (tests point the CLI at a mock)", () => {
    const env = childEnvironment(
      { HOME: "/h", ANTHROPIC_BASE_URL: "http://x" },
      { ANTHROPIC_BASE_URL: "http://mock", HOME: "/tmp/t" },
    );
    expect(env).toEqual({ HOME: "/tmp/t", ANTHROPIC_BASE_URL: "http://mock" });
  });
});
