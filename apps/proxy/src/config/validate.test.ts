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
      "backends.g.targets[0].baseUrl must be an http(s) URL, got a string of 1 character that is not an http(s) URL",
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

describe("validateConfigFile never echoes a value that may be a secret", () => {
  const LEAK = "sk-LEAKCANARY-openai-123456";
  const backend = (fields: Record<string, unknown>) => ({
    backends: { ui: { type: "openai", ...fields } },
  });

  it.each([
    [
      backend({ baseUrl: LEAK }),
      `backends.ui.baseUrl must be an http(s) URL, got a string of 27 characters that is not an http(s) URL`,
    ],
    [
      backend({ targets: [{ baseUrl: LEAK }] }),
      `backends.ui.targets[0].baseUrl must be an http(s) URL, got a string of 27 characters that is not an http(s) URL`,
    ],
    [
      backend({ baseUrl: "http://h", auth: { type: "oidc", issuer: LEAK, clientId: "c" } }),
      `backends.ui.auth.issuer must be an http(s) URL, got a string of 27 characters that is not an http(s) URL`,
    ],
    [
      backend({ baseUrl: `127.0.0.1:8000/${LEAK}` }),
      "backends.ui.baseUrl must be an http(s) URL, got a string of 42 characters that is not an http(s) URL",
    ],
    [backend({ baseUrl: "http://h", headers: `Bearer ${LEAK}` }), "backends.ui.headers must be"],
    [backend({ baseUrl: "http://h", headers: LEAK }), "backends.ui.headers must be"],
    [
      backend({ baseUrl: "http://h", headers: "x-api-key: LEAKCANARY plain" }),
      "backends.ui.headers must be an object of string values, got a string of 27 characters",
    ],
    [backend({ baseUrl: "http://h", auth: LEAK }), "backends.ui.auth must be an object"],
    [backend({ baseUrl: "http://h", apiKey: LEAK.replace("sk-", "env:") }), "apiKey must be"],
    [backend({ baseUrl: "http://h", targets: LEAK }), "backends.ui.targets must be"],
    [backend({ baseUrl: "http://h", targets: [LEAK] }), "backends.ui.targets[0] must be"],
    [backend({ baseUrl: "http://h", models: LEAK }), "backends.ui.models must be"],
    [
      backend({ targets: ["http://LEAKCANARYuser55:LEAKCANARYpw@h/v1?key=LEAKCANARY1"] }),
      'backends.ui.targets[0] must be an object, got "http://[redacted]@h/v1?key=[redacted]"',
    ],
    [
      backend({ baseUrl: `localhost:8000/${LEAK}` }),
      "backends.ui.baseUrl must be an http(s) URL, got a string of 42 characters that is not an http(s) URL",
    ],
    [
      backend({ baseUrl: `https//${LEAK}@h` }),
      "backends.ui.baseUrl must be an http(s) URL, got a string of 36 characters that is not an http(s) URL",
    ],
    [{ apiKey: `env:${LEAK}` }, "apiKey must be"],
    [{ host: 7, routes: [{ match: "*", backend: LEAK }] }, "routes[0].backend must name"],
    [{ defaultBackend: LEAK }, "defaultBackend must name a backend"],
  ])("%j", (raw, expected) => {
    const message = messageOf(raw);
    expect(message).toContain(expected);
    expect(message).not.toContain("LEAKCANARY");
  });

  it("says an empty URL is empty", () => {
    expect(messageOf(backend({ baseUrl: "" }))).toContain(
      'backends.ui.baseUrl must be an http(s) URL, got ""',
    );
  });

  it("echoes a URL with a scheme, its credentials masked", () => {
    expect(messageOf(backend({ baseUrl: "ws://127.0.0.1:8000/v1" }))).toContain(
      'backends.ui.baseUrl must be an http(s) URL, got "ws://127.0.0.1:8000/v1"',
    );
    const message = messageOf(
      backend({ baseUrl: "ftp://LEAKCANARYuser55:LEAKCANARYpw@h/v1?code=LEAKCANARY9&x=1" }),
    );
    expect(message).toContain(
      'backends.ui.baseUrl must be an http(s) URL, got "ftp://[redacted]@h/v1?code=[redacted]&x=1"',
    );
    expect(message).not.toContain("LEAKCANARY");
  });
});
