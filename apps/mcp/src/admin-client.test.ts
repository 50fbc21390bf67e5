import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  type MockAdminServer,
  startMockAdminServer,
} from "../test/helpers/mock-admin-server.js";
import { createAdminClient } from "./admin-client.js";
import { SwitchyardMcpError } from "./mcp-error.js";

async function failure(promise: Promise<unknown>): Promise<SwitchyardMcpError> {
  try {
    await promise;
  } catch (error) {
    if (SwitchyardMcpError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("createAdminClient", () => {
  let mock: MockAdminServer;
  beforeAll(async () => {
    mock = await startMockAdminServer({ requireKey: "k-123", missing: ["/pool"] });
  });
  afterAll(() => mock.close());

  it("GETs JSON with x-api-key and POSTs a JSON body", async () => {
    const admin = createAdminClient({ baseUrl: `${mock.url}/`, apiKey: "k-123" });
    const health = await admin.get("/health");
    expect(health).toMatchObject({ ok: true, version: "0.9.0-mock" });
    expect(mock.seen.at(-1)?.headers["x-api-key"]).toBe("k-123");
    const resumed = await admin.post("/admin/resume");
    expect(resumed).toEqual({ resumed: true, state: "ok" });
    expect(mock.seen.at(-1)).toMatchObject({ method: "POST", body: {} });
  });

  it("says the proxy needs a key on 401, or that the key is wrong", async () => {
    const noKey = await failure(createAdminClient({ baseUrl: mock.url }).get("/status"));
    expect(noKey.code).toBe("unauthorized");
    expect(noKey.message).toBe("the proxy needs an API key — set SWITCHYARD_API_KEY");
    const wrong = await failure(
      createAdminClient({ baseUrl: mock.url, apiKey: "nope" }).get("/status"),
    );
    expect(wrong.message).toContain("rejected the API key");
    expect(wrong.message).not.toContain("nope");
  });

  it("says which endpoint an older proxy lacks on 404", async () => {
    const err = await failure(
      createAdminClient({ baseUrl: mock.url, apiKey: "k-123" }).get("/pool?x=1"),
    );
    expect(err.code).toBe("not_found");
    expect(err.message).toContain("does not offer GET /pool (404");
  });

  it("says no proxy is running when nothing listens", async () => {
    const port = await freePort();
    const err = await failure(
      createAdminClient({ baseUrl: `http://127.0.0.1:${port}` }).get("/status"),
    );
    expect(err.code).toBe("proxy_down");
    expect(err.message).toBe(
      `no switchyard proxy running on 127.0.0.1:${port} — start one with \`switchyard proxy\``,
    );
  });

  it("reports a timeout, a 5xx with its message, and a non-JSON answer", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/slow") return; // never answers
      if (req.url === "/stall") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.write("{"); // headers, one byte, then nothing
      }
      if (req.url === "/host") {
        res.writeHead(403, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { message: "host not allowed" } }));
      }
      if (req.url === "/boom") {
        res.writeHead(500, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { message: "disk full" } }));
      }
      res.end("<html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    // A short timeout only for the calls that should run into it: on a loaded machine an
    // answered call can take longer than 0.2 s.
    const quick = createAdminClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 });
    const admin = createAdminClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 10_000 });
    try {
      const slow = await failure(quick.get("/slow"));
      expect(slow.code).toBe("timeout");
      expect(slow.message).toContain("within 0.2 s");
      const boom = await failure(admin.get("/boom"));
      expect(boom).toMatchObject({ code: "http_error", status: 500 });
      expect(boom.message).toContain("500: disk full");
      expect((await failure(admin.get("/html"))).code).toBe("bad_response");
      // A body that stalls is a timeout, not "not JSON".
      expect((await failure(quick.get("/stall"))).code).toBe("timeout");
      // A 403 is the proxy refusing the request, said with its reason, not a key problem.
      const host = await failure(admin.get("/host"));
      expect(host.message).toContain("refused GET /host: host not allowed");
      expect(host.message).not.toContain("API key");
      // The MCP client's cancel aborts the call at once.
      const controller = new AbortController();
      const cancelled = failure(
        admin.get("/slow", { signal: controller.signal, timeoutMs: 10_000 }),
      );
      setTimeout(() => controller.abort(), 20);
      const started = Date.now();
      expect((await cancelled).code).toBe("cancelled");
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
