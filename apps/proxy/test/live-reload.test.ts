/**
 * Live reload through real `switchyard` processes: the proxy watches its config and
 * credential files and swaps a valid change in under load, with no failed request that was
 * not meant to fail; a broken file leaves the old config serving and says why; `backend add`
 * and `backend remove` say whether the running proxy picked the change up.
 */
import { rename, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  cliEnv,
  ensureBuilt,
  type ProxyProcess,
  runCli,
  startProxy,
  tempHome,
} from "./cli-helpers.js";
import {
  type MockUpstream,
  type RecordedRequest,
  startMockUpstream,
} from "./helpers/mock-upstream.js";

beforeAll(ensureBuilt, 120_000);

/** An OpenAI-compatible upstream that says who it is; a stream takes ~150 ms (5 chunks). */
function upstream(label: string) {
  return startMockUpstream(async (request: RecordedRequest, res: ServerResponse) => {
    const text = `from ${label}`;
    if (request.body?.stream !== true) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "c1",
          object: "chat.completion",
          created: 1,
          model: String(request.body?.model),
          choices: [
            { index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (let i = 0; i < 5; i++) {
      const delta = i === 0 ? { role: "assistant", content: text } : { content: "." };
      res.write(
        `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`,
      );
      await new Promise((r) => setTimeout(r, 30));
    }
    res.write(
      `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\ndata: [DONE]\n\n`,
    );
    res.end();
  });
}

let upA: MockUpstream;
let upA2: MockUpstream;
let upB: MockUpstream;
beforeAll(async () => {
  [upA, upA2, upB] = await Promise.all([upstream("A"), upstream("A2"), upstream("B")]);
});
afterAll(async () => {
  await Promise.all([upA?.close(), upA2?.close(), upB?.close()]);
});

interface ReloadStatus {
  watching: boolean;
  configPath: string;
  last: { ok: boolean; at: string; message: string; trigger: string } | null;
}

describe("live reload", () => {
  let home: string;
  let cleanup: () => Promise<void>;
  let proxy: ProxyProcess | undefined;
  beforeEach(async () => {
    ({ home, cleanup } = await tempHome());
  });
  afterEach(async () => {
    proxy?.kill();
    proxy = undefined;
    await cleanup();
  });

  const configPath = () => join(home, "config.json");
  /** Writes the config the way `backend add` does: a temp file renamed over the old one. */
  const writeAtomically = async (config: unknown) => {
    const temp = join(home, `.config.json.${Date.now()}.tmp`);
    await writeFile(temp, JSON.stringify(config, null, 2));
    await rename(temp, configPath());
  };
  const status = async (): Promise<Record<string, unknown> & { reload: ReloadStatus }> =>
    (await fetch(`${proxy?.url}/status`)).json() as never;
  /** Waits (bounded) for a reload that finished after `since` and returns it. */
  const nextReload = async (since: string | undefined) => {
    for (let i = 0; i < 200; i++) {
      const last = (await status()).reload.last;
      if (last !== null && last.at !== since) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("no reload within 10 s");
  };
  const lastAt = async () => (await status()).reload.last?.at;
  const chat = async (model: string, stream = false) => {
    const response = await fetch(`${proxy?.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "hi" }] }),
    });
    return { status: response.status, text: await response.text() };
  };

  it("adds, changes and removes backends and routes under load with no failed request; a broken file keeps the old config", async () => {
    await writeAtomically({
      backends: { a: { type: "openai", baseUrl: `${upA.url}/v1` } },
      routes: [{ match: "a-*", backend: "a" }],
    });
    proxy = await startProxy(["--port", "0"], cliEnv(home));
    expect((await status()).reload.watching).toBe(true);

    // Bounded loopback load: 4 workers, at most 600 requests or 40 s, streams included.
    const failures: string[] = [];
    const reloadsAt: number[] = [];
    let straddled = 0;
    let sent = 0;
    let stop = false;
    const deadline = Date.now() + 40_000;
    const worker = async (w: number) => {
      for (let i = 0; !stop && sent < 600 && Date.now() < deadline; i++) {
        sent += 1;
        const kind = (w + i) % 3;
        const started = Date.now();
        const reloadsBefore = reloadsAt.length;
        try {
          const r = await chat(kind === 2 ? "echo:x" : "a-model", kind === 1);
          const ok =
            r.status === 200 &&
            (kind === 2 || /from A2?/.test(r.text)) &&
            (kind !== 1 || r.text.trimEnd().endsWith("data: [DONE]"));
          if (!ok) failures.push(`${kind} ${r.status} ${r.text.slice(0, 200)}`);
          if (kind === 1 && reloadsAt.length > reloadsBefore && started < (reloadsAt.at(-1) ?? 0)) {
            straddled += 1;
          }
        } catch (error) {
          failures.push(`${kind} ${(error as Error).message}`);
        }
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(worker));
    const settle = () => new Promise((r) => setTimeout(r, 300));
    await settle();

    // 1. Add backend b with a route: the next b-* request goes to it. `a` is kept, pool and all.
    const poolBefore = (await status()) as unknown as {
      pool: Record<string, { targets: { requests: number }[] }>;
    };
    const requestsBefore = poolBefore.pool.a?.targets[0]?.requests ?? 0;
    let since = await lastAt();
    await writeAtomically({
      backends: {
        a: { type: "openai", baseUrl: `${upA.url}/v1` },
        b: { type: "openai", baseUrl: `${upB.url}/v1` },
      },
      routes: [
        { match: "a-*", backend: "a" },
        { match: "b-*", backend: "b" },
      ],
    });
    let reload = await nextReload(since);
    reloadsAt.push(Date.now());
    expect(reload).toMatchObject({ ok: true, trigger: "watch" });
    expect(reload.message).toContain("added b");
    expect(reload.message).toContain("kept echo, a");
    expect(proxy.stderr()).toContain("switchyard: config reloaded: backends: added b");
    expect((await chat("b-model")).text).toContain("from B");
    const poolAfter = (await status()) as unknown as typeof poolBefore;
    expect(poolAfter.pool.a?.targets[0]?.requests ?? 0).toBeGreaterThanOrEqual(requestsBefore);
    await settle();

    // 2. Change a's upstream: streams already running finish on the old one.
    since = await lastAt();
    await writeAtomically({
      backends: {
        a: { type: "openai", baseUrl: `${upA2.url}/v1` },
        b: { type: "openai", baseUrl: `${upB.url}/v1` },
      },
      routes: [
        { match: "a-*", backend: "a" },
        { match: "b-*", backend: "b" },
      ],
    });
    reload = await nextReload(since);
    reloadsAt.push(Date.now());
    expect(reload.message).toContain("changed a");
    expect((await chat("a-model")).text).toContain("from A2");
    await settle();

    // 3. Remove b and its route: a b-* request is now meant to fail, with a 404 naming the routes.
    since = await lastAt();
    await writeAtomically({
      backends: { a: { type: "openai", baseUrl: `${upA2.url}/v1` } },
      routes: [{ match: "a-*", backend: "a" }],
    });
    reload = await nextReload(since);
    reloadsAt.push(Date.now());
    expect(reload.message).toContain("removed b");
    const gone = await chat("b-model");
    expect(gone.status).toBe(404);
    expect(gone.text).toContain("a-* -> a");
    await settle();

    // 4. A broken file (written in place, as an editor might): refused loudly, old config serves.
    since = await lastAt();
    await writeFile(configPath(), '{ "backends": { "a": ');
    reload = await nextReload(since);
    expect(reload.ok).toBe(false);
    expect(reload.message).toContain(`${configPath()}: not valid JSON`);
    since = reload.at;
    await writeFile(
      configPath(),
      JSON.stringify({ backends: { a: { type: "openai", baseUrl: 42 } }, routes: [] }),
    );
    reload = await nextReload(since);
    expect(reload.ok).toBe(false);
    expect(reload.message).toContain("backends.a.baseUrl must be");
    expect((await chat("a-model")).text).toContain("from A2");
    expect(proxy.stderr()).toContain("config NOT reloaded, still serving the previous one");
    expect(proxy.stderr()).toContain("backends.a.baseUrl");

    stop = true;
    await load;
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(40);
    expect(straddled).toBeGreaterThan(0);
  }, 90_000);

  it("`backend add` on a running proxy with no config file: the next request goes to the new backend, and the command says so", async () => {
    proxy = await startProxy(["--port", "0"], cliEnv(home));
    // The case: before, this was answered 200 by echo.
    expect((await chat("mock:m")).status).toBe(404);
    const env = cliEnv(home, { SWITCHYARD_PORT: String(proxy.port) });

    const added = await runCli(
      ["backend", "add", "mock", "--type", "openai", "--base-url", `${upB.url}/v1`],
      { env },
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`the running proxy on 127.0.0.1:${proxy.port} picked it up`);
    const served = await chat("mock:m");
    expect(served.status).toBe(200);
    expect(served.text).toContain("from B");

    const removed = await runCli(["backend", "remove", "mock"], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("picked it up");
    expect((await chat("mock:m")).status).toBe(404);

    // `switchyard reload`: says what it did, and refuses a broken file by field, exit 1.
    const ok = await runCli(["reload"], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`reloaded ${configPath()}`);
    await writeFile(configPath(), JSON.stringify({ routes: [{ match: "x-*", backend: "nope" }] }));
    const bad = await runCli(["reload"], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("keeps serving the previous one");
    expect(bad.stderr).toContain("routes[0].backend must name a backend");
    expect((await chat("echo:still")).status).toBe(200);

    // With no proxy running, the command says so rather than claiming anything.
    proxy.kill();
    await proxy.exited;
    await writeFile(configPath(), "{}");
    const offline = await runCli(
      ["backend", "add", "other", "--type", "openai", "--base-url", `${upB.url}/v1`],
      { env },
    );
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain("no proxy is running on");
    expect(offline.stdout).not.toContain("picked it up");
  }, 90_000);
});
