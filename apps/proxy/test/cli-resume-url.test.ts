/** `switchyard resume --url` is accepted, as `status --url` is, and goes to that proxy. */
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, ensureBuilt, runCli, tempHome } from "./cli-helpers.js";

beforeAll(ensureBuilt, 120_000);

describe("switchyard resume --url", () => {
  it("POSTs /admin/resume to the given URL", async () => {
    const seen: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      seen.push(req);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ resumed: true, halts: [{ id: "h1" }] }));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const { home, cleanup } = await tempHome();
    try {
      const run = await runCli(["resume", "--url", `http://127.0.0.1:${port}`], {
        env: cliEnv(home, { SWITCHYARD_PORT: "1" }),
      });
      expect(run.stderr).not.toContain("unknown option");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`127.0.0.1:${port}`);
      expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /admin/resume"]);
    } finally {
      server.close();
      await cleanup();
    }
  });
});
