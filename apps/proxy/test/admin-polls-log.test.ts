import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";

/**
 * Admin polls (a dashboard's, `switchyard top`'s: `GET /status`, `/pool`, `/guard`,
 * `/overview`, `/events`, `/ui/...`) stay out of the request log (stdout of `switchyard
 * proxy`) and of the `GET /requests` ring, so they cannot push the API requests out; refused
 * ones and actions stay in; `--verbose` (config.verbose) logs everything.
 */
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close(100);
  server = undefined;
});

async function exercise(verbose: boolean) {
  const lines: string[] = [];
  server = await startServer({
    config: testConfig({ defaultBackend: "echo", verbose }),
    version: "0.0.0-test",
    requestLog: (_entry, line, bytes) => {
      // The ring's UTF-8 of the line, handed on so the CLI's writer need not encode it again.
      expect(Buffer.from(bytes as Uint8Array).toString()).toBe(line);
      lines.push(line);
    },
  });
  const { url } = server;
  const chat = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "real-call", messages: [{ role: "user", content: "x" }] }),
  });
  await chat.arrayBuffer();
  // 600 polls: more than the ring's 500.
  const polls = ["/status", "/pool", "/guard", "/overview?window=15m", "/ui/", "/ui/app.css"];
  for (let i = 0; i < 100; i++) {
    await Promise.all(polls.map(async (p) => (await fetch(`${url}${p}`)).arrayBuffer()));
  }
  const events = new AbortController();
  const stream = await fetch(`${url}/events?requests=1`, { signal: events.signal });
  expect(stream.status).toBe(200);
  events.abort();
  await (await fetch(`${url}/nope`)).arrayBuffer(); // a 404 is always logged
  await new Promise((r) => setTimeout(r, 100));
  const ring = (await (await fetch(`${url}/requests?limit=500`)).json()) as {
    requests: Array<{ method: string; path: string; status: number; model?: string }>;
  };
  const logged = lines.map((l) => JSON.parse(l) as { path: string });
  return { ring: ring.requests, logged };
}

describe("the request log and admin polls", () => {
  it("leaves answered admin reads out of stdout and the ring by default", async () => {
    const { ring, logged } = await exercise(false);
    expect(ring.map((e) => e.path)).toEqual(["/v1/chat/completions", "/nope"]);
    expect(ring[0]?.model).toBe("real-call");
    expect(logged.map((e) => e.path)).toEqual(["/v1/chat/completions", "/nope"]);
  });

  it("logs them with --verbose (and then they fill the ring)", async () => {
    const { ring, logged } = await exercise(true);
    expect(logged.filter((e) => e.path === "/status")).toHaveLength(100);
    expect(logged.some((e) => e.path === "/ui/app.css")).toBe(true);
    expect(logged.some((e) => e.path === "/events")).toBe(true);
    expect(ring).toHaveLength(500);
    expect(ring.some((e) => e.path === "/v1/chat/completions")).toBe(false);
  });
});
