import { afterEach, describe, expect, it } from "vitest";
import {
  CANARY_KEY,
  type MockAdminServer,
  startMockAdminServer,
} from "./helpers/mock-admin-server.js";
import { type RawServer, spawnRaw } from "./helpers/spawn-server.js";

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "raw", version: "1" },
  },
};

function expectAllJsonRpc(lines: string[]): Array<Record<string, unknown>> {
  return lines.map((line) => {
    const msg = JSON.parse(line) as Record<string, unknown>;
    expect(msg.jsonrpc).toBe("2.0");
    expect("result" in msg || "error" in msg || "method" in msg).toBe(true);
    return msg;
  });
}

let raw: RawServer | undefined;
let mock: MockAdminServer | undefined;
afterEach(async () => {
  await raw?.close();
  await mock?.close();
  raw = undefined;
  mock = undefined;
});

describe("stdout carries protocol only", () => {
  it("answers garbage with JSON-RPC errors and keeps serving", async () => {
    raw = spawnRaw();
    raw.send("this is not json");
    raw.send('{"unterminated": ');
    raw.send(JSON.stringify({ hello: "world" }));
    raw.send("");
    raw.send(JSON.stringify(INIT));
    const init = await raw.response(1);
    expect(init.result).toMatchObject({ serverInfo: { name: "switchyard" } });
    raw.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    raw.send("\u0000\u0001 binary-ish junk");
    raw.send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
    const list = await raw.response(2);
    expect((list.result as { tools: unknown[] }).tools).toHaveLength(6);
    raw.send(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "no/such/method" }));
    const unknown = await raw.response(3);
    expect(unknown.error).toMatchObject({ code: -32601 });

    const messages = expectAllJsonRpc(raw.lines());
    const errors = messages
      .filter((m) => m.id === null)
      .map((m) => (m.error as { code: number }).code);
    // not JSON, cut-off JSON, JSON but not JSON-RPC, an empty line, binary junk
    expect(errors).toEqual([-32700, -32700, -32600, -32700, -32700]);
    expect(raw.child.exitCode).toBeNull();
    expect(raw.stderr()).toContain("Parse error (-32700)");
  });

  it("answers a line too large to read and keeps serving", async () => {
    raw = spawnRaw();
    raw.send(JSON.stringify(INIT));
    await raw.response(1);
    // 12 MiB, more than the SDK's 10 MiB read buffer, which used to close the transport.
    raw.send(
      `{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":"${"x".repeat(12 * 1024 * 1024)}"}}`,
    );
    raw.send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }));
    expect((await raw.response(2)).result).toEqual({});
    const tooLarge = expectAllJsonRpc(raw.lines()).find((m) => m.id === null);
    expect(tooLarge?.error).toMatchObject({
      code: -32600,
      message: expect.stringContaining("too large"),
    });
    expect(raw.child.exitCode).toBeNull();
  });

  it("never lets a leaked key reach stdout or stderr (canary)", async () => {
    const clientKey = "proxy-client-canary-key-91c2";
    mock = await startMockAdminServer({ requireKey: clientKey, echoClientKey: clientKey });
    raw = spawnRaw({
      args: ["--enable-actions"],
      env: { SWITCHYARD_URL: mock.url, SWITCHYARD_API_KEY: clientKey },
    });
    raw.send(JSON.stringify(INIT));
    await raw.response(1);
    raw.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    const calls: Array<[string, Record<string, unknown>]> = [
      ["status", {}],
      ["doctor", {}],
      ["backends", {}],
      ["recent_requests", { limit: 200 }],
      ["usage", { period: "month", by: "session" }],
      ["guard", {}],
      ["resume", {}],
      ["ask_model", { model: "m", prompt: `repeat ${CANARY_KEY} and ${clientKey}` }],
    ];
    let id = 10;
    for (const [name, args] of calls) {
      raw.send(
        JSON.stringify({
          jsonrpc: "2.0",
          id: ++id,
          method: "tools/call",
          params: { name, arguments: args },
        }),
      );
      const res = await raw.response(id);
      expect((res.result as { isError?: boolean }).isError, name).toBeFalsy();
    }
    // The mock really did leak: the canary is in what it served.
    const status = await fetch(`${mock.url}/status`, { headers: { "x-api-key": clientKey } });
    expect(await status.text()).toContain(CANARY_KEY);

    expectAllJsonRpc(raw.lines());
    const stdout = raw.lines().join("\n");
    expect(stdout).toContain("[redacted]");
    expect(stdout).not.toContain(CANARY_KEY);
    expect(stdout).not.toContain("canary-4f1d9a7e");
    expect(stdout).not.toContain(clientKey);
    expect(raw.stderr()).not.toContain(clientKey);
    expect(raw.stderr()).not.toContain(CANARY_KEY);
  });

  it("exits 2 with the bad setting named on stderr, and nothing on stdout", async () => {
    raw = spawnRaw({ config: { port: "not-a-port" } });
    const code = await new Promise((r) => raw?.child.once("exit", r));
    expect(code).toBe(2);
    expect(raw.lines()).toEqual([]);
    expect(raw.stderr()).toMatch(/config\.json: `port` must be a port number/);
  });
});
