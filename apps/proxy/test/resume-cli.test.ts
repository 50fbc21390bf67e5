import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CliError } from "../src/cli/action.js";
import { runResume } from "../src/cli/resume.js";

let server: Server | undefined;
afterEach(async () => {
  if (server) {
    server.closeAllConnections();
    server.close();
    await once(server, "close");
    server = undefined;
  }
});

async function startAdmin(
  status: number,
  body: unknown,
): Promise<{ port: number; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  server = createServer((req, res) => {
    seen.push(req);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as AddressInfo).port, seen };
}

/** A port nothing listens on: bind one, then close it. */
async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, "127.0.0.1");
  await once(s, "listening");
  const { port } = s.address() as AddressInfo;
  s.close();
  await once(s, "close");
  return port;
}

const env = (extra: Record<string, string> = {}) => ({
  SWITCHYARD_HOME: "/nonexistent-switchyard-home",
  ...extra,
});

describe("switchyard resume", () => {
  it("POSTs /admin/resume with the client key as x-api-key", async () => {
    const { port, seen } = await startAdmin(200, { resumed: true, halts: [{ id: "h1" }] });
    const out = await runResume({
      env: env({ SWITCHYARD_PORT: String(port), SWITCHYARD_API_KEY: "sk-local-test" }),
    });
    expect(out).toBe(`resumed switchyard proxy on 127.0.0.1:${port} (1 halt lifted)\n`);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.url).toBe("/admin/resume");
    expect(seen[0]?.headers["x-api-key"]).toBe("sk-local-test");
  });

  it("--port beats SWITCHYARD_PORT and no key is sent when none is set", async () => {
    const { port, seen } = await startAdmin(200, { resumed: true, halts: [] });
    const out = await runResume({
      env: env({ SWITCHYARD_PORT: "1" }),
      flags: { port: String(port) },
    });
    expect(out).toBe(`switchyard proxy on 127.0.0.1:${port} was not halted; nothing to resume\n`);
    expect(seen[0]?.headers["x-api-key"]).toBeUndefined();
  });

  it("does not claim a resume from a server that is not switchyard", async () => {
    const other = await startAdmin(200, { object: "list", data: [] });
    await expect(
      runResume({ env: env({ SWITCHYARD_PORT: String(other.port) }) }),
    ).rejects.toSatisfy(
      (e: unknown) =>
        CliError.isInstance(e) &&
        e.code === "not_running" &&
        e.message.includes(`127.0.0.1:${other.port} is not a switchyard proxy`),
    );
  });

  it("says when the guard is disabled", async () => {
    const { port } = await startAdmin(200, { resumed: false, halts: [], state: "ok" });
    expect(await runResume({ env: env({ SWITCHYARD_PORT: String(port) }) })).toBe(
      `the overage guard is disabled on the switchyard proxy on 127.0.0.1:${port}; nothing to resume\n`,
    );
  });

  it("says clearly that no proxy is running", async () => {
    const port = await freePort();
    await expect(
      runResume({ env: env(), flags: { port: String(port), host: "127.0.0.1" } }),
    ).rejects.toSatisfy(
      (e: unknown) =>
        CliError.isInstance(e) &&
        e.code === "not_running" &&
        e.exitCode === 1 &&
        e.message ===
          `no switchyard proxy on 127.0.0.1:${port} — start one with \`switchyard proxy\``,
    );
  });

  it("explains a refused key and an old proxy without the endpoint", async () => {
    const refused = await startAdmin(401, { error: { message: "bad key" } });
    await expect(
      runResume({ env: env({ SWITCHYARD_PORT: String(refused.port) }) }),
    ).rejects.toSatisfy(
      (e: unknown) =>
        CliError.isInstance(e) && e.code === "refused" && e.message.includes("SWITCHYARD_API_KEY"),
    );
    server?.closeAllConnections();
    server?.close();
    await once(server!, "close");
    server = undefined;
    const old = await startAdmin(501, { error: { message: "not implemented" } });
    await expect(runResume({ env: env({ SWITCHYARD_PORT: String(old.port) }) })).rejects.toSatisfy(
      (e: unknown) => CliError.isInstance(e) && e.message.includes("does not support resume"),
    );
  });
});
