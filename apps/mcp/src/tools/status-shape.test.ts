import { describe, expect, it } from "vitest";
import { SwitchyardMcpError } from "../mcp-error.js";
import { normalizeStatus } from "./status-shape.js";

describe("normalizeStatus", () => {
  it("reads the proxy's map-shaped backends and per-status request counts", () => {
    const s = normalizeStatus({
      version: "0.1.0",
      uptimeMs: 5000,
      url: "http://127.0.0.1:41234",
      backends: {
        groq: {
          type: "openai",
          baseUrl: "https://api.groq.com/openai/v1",
          hasKey: true,
          headerNames: ["x-a"],
        },
        pooled: {
          type: "openai",
          hasKey: false,
          targets: [{ id: "#0", baseUrl: "http://a.local", hasKey: true, weight: 1 }],
        },
        claude: {
          type: "claude-code",
          binary: "claude",
          concurrency: 2,
          models: ["claude-sonnet-4-5"],
        },
        echo: { type: "echo" },
      },
      routes: [{ match: "claude-*", backend: "claude" }, { match: 5 }],
      defaultBackend: null,
      requests: {
        total: 7,
        byBackend: { groq: { "200": 4, "429": 1 }, echo: { "200": 1 }, "(none)": { "404": 1 } },
      },
      inFlight: 0,
    });
    expect(s).toEqual({
      version: "0.1.0",
      uptimeMs: 5000,
      host: "127.0.0.1",
      port: 41234,
      backends: [
        { name: "groq", type: "openai", baseUrl: "https://api.groq.com/openai/v1", hasKey: true },
        {
          name: "pooled",
          type: "openai",
          hasKey: false,
          targets: [{ id: "#0", baseUrl: "http://a.local", hasKey: true, weight: 1 }],
        },
        { name: "claude", type: "claude-code", hasKey: false, models: ["claude-sonnet-4-5"] },
        { name: "echo", type: "echo", hasKey: false },
      ],
      routes: [{ match: "claude-*", backend: "claude" }],
      counts: { requests: 7, errors: 2, inFlight: 0, byBackend: { groq: 5, echo: 1, "(none)": 1 } },
    });
  });

  it("reads the documented array shape with a counts object", () => {
    const s = normalizeStatus({
      host: "::1",
      port: 3456,
      backends: [{ name: "a", type: "anthropic", hasKey: true, apiKey: "sk-should-not-pass" }],
      routes: [],
      defaultBackend: "a",
      counts: { requests: 3, errors: 1, inFlight: 2, byBackend: { a: 3, b: "x" } },
    });
    expect(s.backends).toEqual([{ name: "a", type: "anthropic", hasKey: true }]);
    expect(s.counts).toEqual({ requests: 3, errors: 1, inFlight: 2, byBackend: { a: 3 } });
    expect(s.defaultBackend).toBe("a");
    expect(s.host).toBe("::1");
  });

  it("rejects a body that is not an object", () => {
    expect(() => normalizeStatus("nope")).toThrow(SwitchyardMcpError);
  });

  it("keeps each CLI backend's availability, prefer and reason only", () => {
    const s = normalizeStatus({
      backends: {},
      availability: {
        codex: { prefer: false, reason: "codex: usage limit reached", extra: "dropped" },
        bogus: { reason: "no verdict" },
      },
    });
    expect(s.availability).toEqual({
      codex: { prefer: false, reason: "codex: usage limit reached" },
    });
  });
});
