import { describe, expect, it } from "vitest";
import { validateConfigFile } from "./validate.js";

const FILE = "/home/u/.switchyard/config.json";
const messageOf = (raw: Record<string, unknown>): string => {
  try {
    validateConfigFile(raw, FILE);
  } catch (error) {
    return (error as Error).message;
  }
  return "valid";
};

describe("validateConfigFile", () => {
  it.each([
    [{ port: 70000 }, "port must be an integer from 0 to 65535, got 70000"],
    [{ host: "" }, 'host must be a non-empty string, got ""'],
    [
      { apiKey: "env:sk-1X" },
      'apiKey must be a key or "env:NAME" (NAME: letters, digits, _), got a malformed env: reference',
    ],
    [
      { backends: { g: { type: "openai", baseUrl: 42 } } },
      "backends.g.baseUrl must be an http(s) URL, got 42",
    ],
    [
      { backends: { g: { type: "grpc" } } },
      'backends.g.type must be one of "openai", "anthropic", "claude-code", "codex", "echo", "replay", got "grpc"',
    ],
    [{ backends: { "a:b": { type: "echo" } } }, "backends.a:b name must be letters, digits"],
    [{ backends: { r: { type: "replay" } } }, "backends.r.cassette must be"],
    [
      { backends: { r: { type: "replay", cassette: "a.har", pacing: "slow" } } },
      'backends.r.pacing must be one of "recorded", "fast", got "slow"',
    ],
    [
      { backends: { g: { type: "openai", targets: [] } } },
      "backends.g.targets must be a non-empty array",
    ],
    [
      { backends: { g: { type: "openai", targets: [{ baseUrl: "x" }] } } },
      'backends.g.targets[0].baseUrl must be an http(s) URL, got "x"',
    ],
    [
      { backends: { g: { type: "openai", targets: [{ baseUrl: "http://h", weight: 0 }] } } },
      "backends.g.targets[0].weight must be a number > 0, got 0",
    ],
    [
      {
        backends: {
          g: {
            type: "openai",
            targets: [
              { id: "t", baseUrl: "http://h" },
              { id: "t", baseUrl: "http://i" },
            ],
          },
        },
      },
      'backends.g.targets[1].id "t" is used by another target of this backend',
    ],
    [
      { backends: { g: { type: "openai", baseUrl: "http://h", maxTokensField: "max" } } },
      'backends.g.maxTokensField must be one of "max_tokens", "max_completion_tokens", got "max"',
    ],
    [
      { backends: { g: { type: "openai", baseUrl: "http://h", reasoningEffort: true } } },
      'backends.g.reasoningEffort must be one of "auto", "send", "drop", got true',
    ],
    [
      { backends: { c: { type: "claude-code", concurrency: 0 } } },
      "backends.c.concurrency must be an integer >= 1, got 0",
    ],
    [{ routes: {} }, "routes must be an array of"],
    [
      { routes: [{ match: "a*", backend: "nope" }] },
      'routes[0].backend must name a backend in "backends" (one of echo), got "nope"',
    ],
    [{ defaultBackend: "ghost" }, "defaultBackend must name a backend"],
    [
      { budgets: [{ limitUsd: 5, period: "week" }] },
      'budgets[0].period must be one of "day", "month", "total", got "week"',
    ],
    [
      { overageGuard: { behavior: "stop" } },
      'overageGuard.behavior must be one of "halt", "warn", got "stop"',
    ],
    [{ prices: { m: { input: -1, output: 1 } } }, "prices.m.input must be a number >= 0, got -1"],
    [{ timeouts: { connectMs: 0 } }, "timeouts.connectMs must be an integer >= 1, got 0"],
    [{ maxBodyBytes: 1.5 }, "maxBodyBytes must be an integer >= 1, got 1.5"],
    [{ mcp: { enableActions: "yes" } }, 'mcp.enableActions must be true or false, got "yes"'],
  ])("names the bad field in %j", (raw, expected) => {
    const message = messageOf(raw);
    expect(message.startsWith(`${FILE}: `)).toBe(true);
    expect(message).toContain(expected);
  });

  it("reports every bad field at once", () => {
    const message = messageOf({ port: -1, host: 3 });
    expect(message.split("\n")).toHaveLength(2);
  });

  it("accepts the documented shape and only warns about unknown keys", () => {
    const raw = {
      port: 3456,
      backends: {
        openai: {
          type: "openai",
          baseUrl: "https://api.openai.com/v1",
          apiKey: "env:OPENAI_API_KEY",
        },
        groq: {
          type: "openai",
          baseUrl: "https://api.groq.com/openai/v1",
          apiKey: "env:GROQ_API_KEY",
        },
        anthropic: {
          type: "anthropic",
          baseUrl: "https://api.anthropic.com",
          apiKey: "env:ANTHROPIC_API_KEY",
        },
        claude: { type: "claude-code", colour: "red" },
      },
      routes: [
        { match: "claude-*", backend: "anthropic" },
        { match: "gpt-*", backend: "openai" },
      ],
      defaultBackend: "groq",
      later: true,
    };
    const { config, warnings } = validateConfigFile(raw, FILE);
    expect(config.defaultBackend).toBe("groq");
    expect(warnings).toEqual([
      `${FILE}: unknown key later (ignored)`,
      `${FILE}: unknown key backends.claude.colour (ignored)`,
    ]);
  });
});
