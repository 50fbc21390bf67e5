import { describe, expect, it } from "vitest";
import { pointToolAt } from "./tool-env.js";

describe("pointToolAt", () => {
  const url = "http://127.0.0.1:4000";

  it("sets every base-URL variable and a placeholder key only where none is set", () => {
    const { command, env } = pointToolAt({
      url,
      command: ["claude", "-p", "hi"],
      env: { PATH: "/bin", ANTHROPIC_API_KEY: "mine", ANTHROPIC_BASE_URL: "https://elsewhere" },
    });
    expect(command).toEqual(["claude", "-p", "hi"]);
    expect(env).toMatchObject({
      PATH: "/bin",
      ANTHROPIC_BASE_URL: url,
      OPENAI_BASE_URL: `${url}/v1`,
      OPENAI_API_BASE: `${url}/v1`,
      ANTHROPIC_API_KEY: "mine",
      OPENAI_API_KEY: "switchyard",
    });
  });

  it("hands the proxy's client key to the tool when the proxy requires one", () => {
    const { env } = pointToolAt({
      url,
      command: ["aider"],
      env: { OPENAI_API_KEY: "x" },
      clientKey: "k",
    });
    expect(env.OPENAI_API_KEY).toBe("k");
    expect(env.ANTHROPIC_API_KEY).toBe("k");
  });

  it("gives Codex a switchyard provider through its own -c config overrides", () => {
    const { command, env } = pointToolAt({
      url,
      command: ["/usr/lib/node_modules/.bin/codex", "exec", "hi"],
      env: { OPENAI_API_KEY: "users-own-key" },
      clientKey: "k",
    });
    expect(command).toEqual([
      "/usr/lib/node_modules/.bin/codex",
      "-c",
      'model_provider="switchyard"',
      "-c",
      `model_providers.switchyard={ name = "switchyard", base_url = "${url}/v1", wire_api = "responses", env_key = "SWITCHYARD_CODEX_KEY" }`,
      "exec",
      "hi",
    ]);
    expect(env.SWITCHYARD_CODEX_KEY).toBe("k");
    // Other tools are left as they were.
    expect(pointToolAt({ url, command: ["aider"], env: {} }).env.SWITCHYARD_CODEX_KEY).toBe(
      undefined,
    );
  });
});

describe("toolName", () => {
  it("names the program, or the script an interpreter runs", async () => {
    const { toolName } = await import("./capture.js");
    expect(toolName(["/usr/bin/claude", "-p", "hi"])).toBe("claude");
    expect(toolName(["node", "--no-warnings", "scripts/sdk-client.mjs", "openai"])).toBe(
      "sdk-client",
    );
    expect(toolName(["python3", "agent.py"])).toBe("agent");
  });
});
