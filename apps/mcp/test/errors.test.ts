import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  type MockAdminServer,
  startMockAdminServer,
} from "./helpers/mock-admin-server.js";
import { spawnServer } from "./helpers/spawn-server.js";

const READ_TOOLS = ["status", "doctor", "backends", "recent_requests", "usage", "guard"];

function text(result: { content: unknown }): string {
  return (result.content as Array<{ text?: string }>)[0]?.text ?? "";
}

describe("domain failures are isError results", () => {
  it("every read tool says plainly that no proxy is running", async () => {
    const port = await freePort();
    const server = await spawnServer({ env: { SWITCHYARD_PORT: String(port) } });
    try {
      const expected = `no switchyard proxy running on 127.0.0.1:${port} — start one with \`switchyard proxy\``;
      for (const name of READ_TOOLS) {
        const result = await server.call(name);
        expect(result.isError, name).toBe(true);
        expect(text(result), name).toBe(expected);
      }
      const status = await server.call("status");
      expect(status.structuredContent).toEqual({
        up: false,
        address: `127.0.0.1:${port}`,
        error: expected,
      });
    } finally {
      await server.close();
    }
  });

  describe("against a proxy that requires a key", () => {
    let mock: MockAdminServer;
    beforeAll(async () => {
      mock = await startMockAdminServer({ requireKey: "right-key", missing: ["/pool"] });
    });
    afterAll(() => mock.close());

    it("a 401 tells the user to set SWITCHYARD_API_KEY", async () => {
      const server = await spawnServer({ env: { SWITCHYARD_URL: mock.url } });
      try {
        const result = await server.call("status");
        expect(result.isError).toBe(true);
        expect(text(result)).toBe("the proxy needs an API key — set SWITCHYARD_API_KEY");
        expect(result.structuredContent).toMatchObject({ up: true });
      } finally {
        await server.close();
      }
    });

    it("finds the proxy and key through the config file, and copes without GET /pool", async () => {
      const server = await spawnServer({
        config: { port: mock.port, apiKey: "env:MY_PROXY_KEY" },
        env: { MY_PROXY_KEY: "right-key" },
      });
      try {
        const result = await server.call("backends");
        expect(result.isError).toBeFalsy();
        expect(result.structuredContent).toMatchObject({
          poolAvailable: false,
          defaultBackend: "pooled",
        });
        expect(text(result)).toContain("live pool state unavailable");
      } finally {
        await server.close();
      }
    });
  });
});

describe("acting tools are opt-in", () => {
  async function toolNames(options: Parameters<typeof spawnServer>[0]): Promise<string[]> {
    const server = await spawnServer(options);
    try {
      return (await server.client.listTools()).tools.map((t) => t.name).sort();
    } finally {
      await server.close();
    }
  }

  it("resume and ask_model are not listed, nor callable, by default", async () => {
    const server = await spawnServer();
    try {
      const names = (await server.client.listTools()).tools.map((t) => t.name);
      expect(names.sort()).toEqual([...READ_TOOLS].sort());
      const call = await server.call("resume");
      expect(call.isError).toBe(true);
      expect(text(call)).toContain("not found");
    } finally {
      await server.close();
    }
  });

  it.each([
    ["the --enable-actions flag", { args: ["--enable-actions"] }],
    ["SWITCHYARD_MCP_ENABLE_ACTIONS=1", { env: { SWITCHYARD_MCP_ENABLE_ACTIONS: "1" } }],
    ["config mcp.enableActions", { config: { mcp: { enableActions: true } } }],
  ])("%s lists them", async (_how, options) => {
    expect(await toolNames(options)).toEqual([...READ_TOOLS, "ask_model", "resume"].sort());
  });

  it("SWITCHYARD_MCP_ENABLE_ACTIONS=0 overrides the config file", async () => {
    const names = await toolNames({
      config: { mcp: { enableActions: true } },
      env: { SWITCHYARD_MCP_ENABLE_ACTIONS: "0" },
    });
    expect(names).not.toContain("resume");
  });
});
