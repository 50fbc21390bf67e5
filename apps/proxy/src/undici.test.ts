import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Pool, requestOnce } from "./undici.js";

const require = createRequire(import.meta.url);

describe("undici loaded in parts", () => {
  it("Pool is the class undici's index exports", () => {
    const undici = require("undici") as typeof import("undici");
    expect(Pool).toBe(undici.Pool);
  });

  describe("requestOnce", () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers["x-probe"] ?? ""}`);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true }));
    });
    let base = "";
    beforeAll(async () => {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("sends method, path, query and headers, and closes its connection after the body", async () => {
      // The index (loaded by the test above) attaches `request` to every dispatcher; the CLI
      // never loads it, so take it away here.
      const dispatcher = require("undici/lib/dispatcher/dispatcher.js") as {
        prototype: Record<string, unknown>;
      };
      const attached = dispatcher.prototype.request;
      delete dispatcher.prototype.request;
      try {
        const response = await requestOnce(`${base}/health?x=1`, {
          method: "GET",
          headers: { "x-probe": "yes" },
        });
        expect(response.statusCode).toBe(200);
        expect(await response.body.json()).toEqual({ ok: true });
      } finally {
        if (attached !== undefined) dispatcher.prototype.request = attached;
      }
      expect(seen.at(-1)).toBe("GET /health?x=1 yes");
      // Nothing is left open: the server counts its connections down to zero (the close
      // reaches it after the body; a loaded machine may take a while to deliver it).
      const open = () => new Promise<number>((r) => server.getConnections((_e, n) => r(n)));
      await vi.waitFor(async () => expect(await open()).toBe(0), { timeout: 3000, interval: 10 });
    });

    it("rejects with the connection error when nothing listens", async () => {
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      await expect(
        requestOnce(`http://127.0.0.1:${port}/`, { method: "GET" }),
      ).rejects.toMatchObject({ code: "ECONNREFUSED" });
    });
  });
});
