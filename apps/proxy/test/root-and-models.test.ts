/** `HEAD /` (sent by Claude Code at start) is a plain 200, and `/v1/models` lists no globs for echo. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";

describe("HEAD / and the echo model list", () => {
  let server: RunningServer;
  const errors: string[] = [];
  const lines: string[] = [];
  beforeAll(async () => {
    server = await startServer({
      config: testConfig(),
      version: "test",
      logger: { info: () => {}, warn: (m) => errors.push(m), error: (m) => errors.push(m) },
      requestLog: (_entry, line) => lines.push(line),
    });
  });
  afterAll(() => server.close(500));

  it("answers HEAD / and GET / with 200 and logs no error", async () => {
    const head = await fetch(`${server.url}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    const get = await fetch(`${server.url}/`);
    expect(await get.json()).toMatchObject({ name: "switchyard", status: "ok" });
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toEqual([]);
    const logged = lines.map(
      (l) => JSON.parse(l) as { path: string; status: number; error?: string },
    );
    expect(logged.filter((l) => l.path === "/")).toEqual([
      expect.objectContaining({ status: 200 }),
      expect.objectContaining({ status: 200 }),
    ]);
    expect(logged.some((l) => l.error !== undefined)).toBe(false);
  });

  it("lists echo as a model a client can send, not the literal echo:*", async () => {
    const { data } = (await (await fetch(`${server.url}/v1/models`)).json()) as {
      data: { id: string }[];
    };
    const ids = data.map((m) => m.id);
    expect(ids).toContain("echo:test");
    expect(ids.some((id) => id.includes("*"))).toBe(false);
  });
});
