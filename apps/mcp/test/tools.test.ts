import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockAdminServer, startMockAdminServer } from "./helpers/mock-admin-server.js";
import { type SpawnedServer, spawnServer } from "./helpers/spawn-server.js";

const KEY = "test-proxy-key-7f3a";

let mock: MockAdminServer;
let server: SpawnedServer;

beforeAll(async () => {
  mock = await startMockAdminServer({ requireKey: KEY });
  server = await spawnServer({
    args: ["--enable-actions"],
    env: { SWITCHYARD_URL: mock.url, SWITCHYARD_API_KEY: KEY },
  });
});

afterAll(async () => {
  await server?.close();
  await mock?.close();
});

function text(result: { content: unknown }): string {
  const first = (result.content as Array<{ type: string; text?: string }>)[0];
  return first?.type === "text" ? (first.text ?? "") : "";
}

function lastSeen(path: string) {
  return mock.seen.filter((r) => r.url.split("?")[0] === path).at(-1);
}

describe("switchyard-mcp tools over stdio (mock proxy)", () => {
  it("lists every tool with a described input schema and an output schema", async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "ask_model",
      "backends",
      "doctor",
      "guard",
      "recent_requests",
      "resume",
      "status",
      "usage",
    ]);
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type).toBe("object");
      expect(Object.keys(tool.outputSchema?.properties ?? {}).length).toBeGreaterThan(0);
      for (const [name, prop] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect((prop as { description?: string }).description, `${tool.name}.${name}`).toBeTruthy();
      }
    }
    const recent = tools.find((t) => t.name === "recent_requests")!;
    expect(recent.inputSchema.properties?.limit).toMatchObject({
      type: "integer",
      minimum: 1,
      maximum: 200,
      default: 20,
    });
    const usage = tools.find((t) => t.name === "usage")!;
    expect(usage.inputSchema.properties?.period).toMatchObject({
      enum: ["today", "week", "month"],
    });
    expect(usage.inputSchema.properties?.by).toMatchObject({
      enum: ["backend", "model", "session", "day"],
    });
    const ask = tools.find((t) => t.name === "ask_model")!;
    expect(ask.inputSchema.required?.sort()).toEqual(["model", "prompt"]);
    expect(tools.find((t) => t.name === "status")?.annotations?.readOnlyHint).toBe(true);
    expect(tools.find((t) => t.name === "resume")?.annotations?.readOnlyHint).toBe(false);
  });

  it("status: up, version, uptime, redacted backends, routes and counts", async () => {
    const result = await server.call("status");
    expect(result.isError).toBeFalsy();
    expect(lastSeen("/status")?.headers["x-api-key"]).toBe(KEY);
    const s = result.structuredContent as Record<string, unknown>;
    expect(s).toMatchObject({
      up: true,
      address: `127.0.0.1:${mock.port}`,
      version: "0.9.0-mock",
      uptimeMs: 3_723_000,
      uptime: "1h 2m",
      defaultBackend: "pooled",
      counts: {
        requests: 42,
        errors: 3,
        inFlight: 1,
        byBackend: { groq: 30, pooled: 10, claude: 2 },
      },
      routes: [
        { match: "claude-*", backend: "claude", fallback: "groq" },
        { match: "llama-*", backend: "groq", model: "llama-3.3-70b-versatile" },
      ],
    });
    expect(s.backends).toEqual([
      { name: "groq", type: "openai", baseUrl: "https://api.groq.com/openai/v1", hasKey: true },
      {
        name: "pooled",
        type: "openai",
        hasKey: true,
        targets: [
          { id: "east", baseUrl: "http://east.local/v1", hasKey: true, weight: 2 },
          { id: "west", baseUrl: "http://west.local/v1", hasKey: false, weight: 1 },
        ],
      },
      { name: "claude", type: "claude-code", hasKey: false },
    ]);
    expect(text(result)).toContain("switchyard 0.9.0-mock is up");
    expect(text(result)).toContain("requests: 42, errors: 3, in flight: 1");
  });

  it("doctor: the report and text from GET /doctor", async () => {
    const result = await server.call("doctor");
    expect(result.structuredContent).toEqual({
      report: { ok: true, checks: [{ name: "config", ok: true, detail: "config.json parsed" }] },
      text: "✓ config: config.json parsed",
    });
    expect(text(result)).toBe("✓ config: config.json parsed");
  });

  it("backends: targets merged with live headroom, breaker, cooldown and routes", async () => {
    const result = await server.call("backends");
    const s = result.structuredContent as {
      backends: Array<Record<string, unknown>>;
      poolAvailable: boolean;
    };
    expect(s.poolAvailable).toBe(true);
    const byName = Object.fromEntries(s.backends.map((b) => [b.name, b]));
    expect(byName.pooled).toMatchObject({ isDefault: true, routes: [] });
    // Sign-in state and expiry only: a token in the proxy's answer is not passed on.
    expect(byName.pooled?.signIn).toEqual({
      flow: "pkce",
      signedIn: true,
      expiresAt: "2026-11-21T11:00:00.000Z",
      refreshable: true,
    });
    expect(text(result)).toContain("signed in (pkce) until 2026-11-21T11:00:00.000Z");
    expect(byName.groq?.signIn).toBeUndefined();
    expect(byName.pooled?.targets).toEqual([
      {
        id: "east",
        baseUrl: "http://east.local/v1",
        hasKey: true,
        weight: 2,
        headroom: 0.82,
        breaker: "closed",
        inFlight: 1,
        details: { token: "[redacted]" },
      },
      {
        id: "west",
        baseUrl: "http://west.local/v1",
        hasKey: false,
        weight: 1,
        headroom: 0,
        cooldownUntil: "2026-11-21T10:05:00.000Z",
        breaker: "open",
        inFlight: 0,
      },
    ]);
    expect(byName.groq).toMatchObject({
      isDefault: false,
      routes: ["llama-*"],
      targets: [
        { id: "groq#0", baseUrl: "https://api.groq.com/openai/v1", hasKey: true, headroom: 1 },
      ],
    });
    expect(byName.claude).toMatchObject({ routes: ["claude-*"], targets: [] });
    expect(text(result)).toContain(
      "west, headroom 0%, breaker open, 0 in flight, cooling down until 2026-11-21T10:05:00.000Z",
    );
  });

  it("recent_requests: default 20, a chosen limit, and why each route was chosen", async () => {
    const dflt = await server.call("recent_requests");
    expect((dflt.structuredContent as { count: number }).count).toBe(20);
    // Admin calls are filtered out, so the tool reads the proxy's whole window.
    expect(lastSeen("/requests")?.url).toBe("/requests?limit=500");
    const result = await server.call("recent_requests", { limit: 3 });
    const { requests } = result.structuredContent as { requests: Array<Record<string, unknown>> };
    expect(requests).toHaveLength(3);
    expect(requests[0]).toEqual({
      time: "2026-11-21T10:00:00.000Z",
      method: "POST",
      path: "/v1/messages",
      model: "claude-sonnet-4-5",
      backend: "claude",
      status: 200,
      latencyMs: 812,
      inputTokens: 1200,
      outputTokens: 300,
      costUsd: 0.0081,
      route: "route:claude-*",
      routeReason: '"claude-sonnet-4-5" matched route "claude-*" → claude',
    });
    expect(requests[1]).toMatchObject({ route: "prefix", upstreamModel: "llama-3.3-70b" });
    expect(requests[1]?.routeReason).toContain('named backend "groq" explicitly');
    expect(requests[2]).toMatchObject({ route: "default", target: "east", status: 429 });
    expect(requests[2]?.routeReason).toContain("default backend pooled");
    expect(text(result).split("\n")).toHaveLength(3);
    expect(requests.map((r) => r.path)).not.toContain("/status");
    const withAdmin = await server.call("recent_requests", { limit: 4, includeAdmin: true });
    expect(lastSeen("/requests")?.url).toBe("/requests?limit=4");
    const all = (withAdmin.structuredContent as { requests: Array<Record<string, unknown>> })
      .requests;
    expect(all[3]).toEqual({
      time: "2026-11-21T09:59:57.000Z",
      method: "GET",
      path: "/status",
      status: 200,
      latencyMs: 2,
      route: "admin",
      routeReason: "not a model request (admin or health endpoint)",
    });
    const tooMany = await server.call("recent_requests", { limit: 500 });
    expect(tooMany.isError).toBe(true);
  });

  it("usage: period and grouping become the analytics query", async () => {
    const week = await server.call("usage", { period: "week", by: "model" });
    const query = new URL(lastSeen("/analytics")!.url, "http://x").searchParams;
    expect(query.get("by")).toBe("model");
    const since = new Date(query.get("since")!);
    expect(since.getUTCDay()).toBe(1); // Monday 00:00 UTC
    expect(since.toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect(Date.now() - since.getTime()).toBeLessThan(7 * 24 * 3600 * 1000);
    expect(week.structuredContent).toMatchObject({
      period: "week",
      by: "model",
      until: "2026-11-21T12:00:00.000Z",
      rows: [
        {
          key: "claude-sonnet-4-5",
          requests: 10,
          inputTokens: 12000,
          outputTokens: 3000,
          costUsd: 0.081,
        },
        {
          key: "llama-3.3-70b",
          requests: 30,
          inputTokens: 1500,
          outputTokens: 600,
          costUsd: 0.0012,
        },
      ],
      totals: { requests: 40, inputTokens: 13500, outputTokens: 3600, costUsd: 0.0822 },
    });
    expect(text(week)).toContain("$0.0822 over 40 requests");
    const custom = await server.call("usage", { since: "2026-11-01" });
    expect(custom.structuredContent).toMatchObject({
      since: "2026-11-01T00:00:00.000Z",
      period: "custom",
      by: "backend",
    });
    const bad = await server.call("usage", { since: "last tuesday" });
    expect(bad.isError).toBe(true);
    // What the validation accepts is what the window starts at: durations yes, "1" no.
    const day = await server.call("usage", { since: "24h" });
    expect(day.isError).toBeFalsy();
    expect(
      Date.now() - Date.parse((day.structuredContent as { since: string }).since),
    ).toBeLessThan(24 * 3600 * 1000 + 60_000);
    expect((await server.call("usage", { since: "1" })).isError).toBe(true);
  });

  it("guard, resume, guard: a halted guard is lifted by the resume tool", async () => {
    mock.guardState = "halted";
    const halted = await server.call("guard");
    expect(halted.structuredContent).toEqual({
      enabled: true,
      behavior: "halt",
      state: "halted",
      reason: "budget daily passed: $5.02 of $5.00",
      since: "2026-11-21T11:00:00.000Z",
      cooldownUntil: "2026-11-21T12:00:00.000Z",
      budgets: [
        {
          name: "daily",
          period: "day",
          limitUsd: 5,
          spentUsd: 5.02,
          remainingUsd: 0,
          percentUsed: 100.4,
        },
        {
          name: "claude-month",
          period: "month",
          limitUsd: 50,
          spentUsd: 12.5,
          remainingUsd: 37.5,
          percentUsed: 25,
          scope: "backend=claude",
        },
      ],
    });
    expect(text(halted)).toMatch(/^HALTED: budget daily passed/);
    const resumed = await server.call("resume");
    expect(resumed.structuredContent).toEqual({ resumed: true, state: "ok" });
    expect(lastSeen("/admin/resume")?.method).toBe("POST");
    const ok = await server.call("guard");
    expect((ok.structuredContent as { state: string }).state).toBe("ok");
  });

  it("ask_model: one non-streaming OpenAI chat completion through the proxy", async () => {
    const result = await server.call("ask_model", {
      model: "groq:llama-3.3-70b",
      prompt: "say hi",
      system: "be brief",
      maxTokens: 64,
    });
    expect(result.structuredContent).toEqual({
      model: "groq:llama-3.3-70b",
      text: "echo: say hi",
      finishReason: "stop",
      usage: { inputTokens: 11, outputTokens: 4 },
    });
    expect(text(result)).toBe("echo: say hi");
    expect(lastSeen("/v1/chat/completions")?.body).toEqual({
      model: "groq:llama-3.3-70b",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "say hi" },
      ],
      stream: false,
      max_tokens: 64,
    });
  });
});

describe("recent_requests on a log full of admin calls", () => {
  it("says there are no model requests among the last entries, not that nothing happened", async () => {
    const busy = await startMockAdminServer({ adminOnlyLog: true });
    const client = await spawnServer({ env: { SWITCHYARD_URL: busy.url } });
    try {
      const result = await client.call("recent_requests");
      expect(result.structuredContent).toMatchObject({ count: 0 });
      expect(text(result)).toContain(
        "no model requests among the proxy's last 250 logged requests",
      );
    } finally {
      await client.close();
      await busy.close();
    }
  });
});
