import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Pool } from "undici";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readUsageRecords } from "../src/usage/read-usage.js";
import { cliEnv, ensureBuilt, type ProxyProcess, startProxy, tempHome } from "./cli-helpers.js";

/**
 * The usage log's loss window, end to end: a real `switchyard proxy` under a burst of
 * requests, killed. README (Usage, write window): a record is on file within 100 ms of its
 * response completing, so a kill -9 loses at most the last 100 ms; SIGINT and SIGTERM lose
 * nothing, and neither do the request-log lines on stdout.
 */

/**
 * Upstream: an OpenAI answer naming the model it was asked for, so records can be matched;
 * `slow-*` models are answered after 400 ms.
 */
function startUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const model = (JSON.parse(body) as { model: string }).model;
      const out = JSON.stringify({
        id: "chatcmpl-crash",
        object: "chat.completion",
        created: 1,
        model,
        choices: [
          { index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      });
      const answer = () => {
        res.writeHead(200, { "content-type": "application/json", "content-length": out.length });
        res.end(out);
      };
      if (model.startsWith("slow-")) setTimeout(answer, 400);
      else answer();
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/**
 * Keeps 4 requests in flight (model `m-<n>`, n counting up) until `after` have completed, or
 * 20 s have passed (bounded by count and time); then calls `onReached` once, with requests still
 * in flight, and stops. `completedAt` maps n to when its 200 arrived.
 */
async function burst(options: {
  url: string;
  after: number;
  onReached: () => void;
  completedAt: Map<number, number>;
}): Promise<void> {
  const { url, after, onReached, completedAt } = options;
  const pool = new Pool(url, { connections: 4 });
  const end = performance.now() + 20_000;
  let next = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    onReached();
  };
  const loop = async () => {
    while (!done && performance.now() < end) {
      const n = next++;
      try {
        const res = await pool.request({
          path: "/v1/chat/completions",
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: `m-${n}`, messages: [{ role: "user", content: "hi" }] }),
        });
        await res.body.text();
        if (res.statusCode === 200) completedAt.set(n, performance.now());
      } catch {
        // The proxy went away mid-request: that request never completed.
        return;
      }
      if (completedAt.size >= after) finish();
    }
  };
  await Promise.all(Array.from({ length: 4 }, loop));
  finish();
  await pool.destroy();
}

/** The `m-<n>` numbers of the records in the usage log. */
async function recorded(home: string): Promise<Set<number>> {
  const { records } = await readUsageRecords({ dir: join(home, "usage") });
  return new Set(records.map((r) => Number(/^m-(\d+)$/.exec(r.model ?? "")?.[1] ?? -1)));
}

describe("usage records across a kill (real proxy)", () => {
  let upstream: Server;
  let home: string;
  let cleanup: () => Promise<void>;
  let proxy: ProxyProcess | undefined;
  beforeAll(async () => {
    await ensureBuilt();
  });
  beforeEach(async () => {
    ({ home, cleanup } = await tempHome());
    upstream = await startUpstream();
    const port = (upstream.address() as AddressInfo).port;
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({
        backends: { up: { type: "openai", baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: "k" } },
        routes: [
          { match: "m-*", backend: "up" },
          { match: "slow-*", backend: "up" },
        ],
      }),
    );
    proxy = await startProxy(["--port", "0"], cliEnv(home));
  });
  afterEach(async () => {
    proxy?.kill();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
    await cleanup();
  });

  it("kill -9 mid-burst loses no record of a request that completed more than 100 ms before", async () => {
    const running = proxy as ProxyProcess;
    const completedAt = new Map<number, number>();
    let killedAt = 0;
    await burst({
      url: running.url,
      after: 300,
      completedAt,
      onReached: () => {
        killedAt = performance.now();
        running.child.kill("SIGKILL");
      },
    });
    expect((await running.exited).signal).toBe("SIGKILL");
    const old = [...completedAt].filter(([, at]) => at < killedAt - 100).map(([n]) => n);
    expect(old.length).toBeGreaterThan(20);
    const present = await recorded(home);
    expect(old.filter((n) => !present.has(n))).toEqual([]);
  }, 60_000);

  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s mid-burst loses no record and no request-log line of any completed request",
    async (signal) => {
      const running = proxy as ProxyProcess;
      const completedAt = new Map<number, number>();
      // In flight when the signal comes, answered during the drain: its log line is written
      // just before the process exits, well inside the writer's 100 ms batching window.
      let slow: Promise<number> | undefined;
      const sendSlow = () =>
        fetch(`${running.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "slow-1", messages: [{ role: "user", content: "hi" }] }),
        }).then(async (res) => {
          await res.text();
          return res.status;
        });
      await burst({
        url: running.url,
        after: 200,
        completedAt,
        onReached: () => {
          slow = sendSlow();
          setTimeout(() => running.child.kill(signal), 100);
        },
      });
      expect(await slow).toBe(200);
      expect(await running.exited).toEqual({ code: 0, signal: null });
      expect(completedAt.size).toBeGreaterThan(20);
      const present = await recorded(home);
      expect([...completedAt.keys()].filter((n) => !present.has(n))).toEqual([]);
      expect(present.has(-1)).toBe(true); // slow-1 (not an m-<n>)
      // stdout is a pipe here: the request log is batched, and flushed on the way out.
      const logged = new Set(
        running
          .stdout()
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { model?: string; status: number })
          .filter((e) => e.status === 200)
          .map((e) => Number(/^m-(\d+)$/.exec(e.model ?? "")?.[1] ?? -1)),
      );
      expect([...completedAt.keys()].filter((n) => !logged.has(n))).toEqual([]);
      expect(running.stdout()).toContain('"model":"slow-1"');
    },
    60_000,
  );
});
