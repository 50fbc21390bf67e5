import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CLI,
  cliEnv,
  ensureBuilt,
  type ProxyProcess,
  startProxy,
  tempHome,
} from "./cli-helpers.js";
import { openAIHandler } from "./helpers/guard-upstreams.js";
import { type MockUpstream, startMockUpstream } from "./helpers/mock-upstream.js";
import { hasTmux, startTmux, type TmuxPane } from "./helpers/tmux.js";

// CI installs tmux (.ci/run), so there the test always runs; elsewhere it needs tmux on PATH.
const run = hasTmux() || process.env.CI !== undefined;

const CLIENT_KEY = `sy-client-${randomBytes(16).toString("hex")}`;
const UPSTREAM_KEY = `sk-upstream-${randomBytes(16).toString("hex")}`;
/** A model name that would retitle the window, reset the terminal and paint red if drawn raw. */
const EVIL_MODEL = "gpt-test-\u001b]2;pwned\u0007\u001bc\u001b[31mEVIL";

let home: { home: string; cleanup: () => Promise<void> };
let mocks: MockUpstream[] = [];
let proxy: ProxyProcess | undefined;
let pane: TmuxPane | undefined;
let port = 0;

/** A mock OpenAI target: $0.002 a request at the test prices, a 100-request window resetting in 50 s. */
async function startTarget(): Promise<MockUpstream> {
  const base = openAIHandler({ mode: "ok" });
  let remaining = 100;
  return startMockUpstream((request, res) => {
    remaining = Math.max(0, remaining - 7);
    res.setHeader("x-ratelimit-limit-requests", "100");
    res.setHeader("x-ratelimit-remaining-requests", String(remaining));
    res.setHeader("x-ratelimit-reset-requests", "50s");
    return base(request, res);
  });
}

const proxyEnv = () => cliEnv(home.home);

async function chat(model: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": CLIENT_KEY },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

async function guardState(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/guard`, {
    headers: { "x-api-key": CLIENT_KEY },
  });
  return ((await res.json()) as { state: string }).state;
}

/** Opens a fresh 80×24 pane and starts `switchyard top` in it, polling every `interval` s. */
async function openTop(interval = 0.5): Promise<TmuxPane> {
  const p = await startTmux({
    dir: home.home,
    columns: 80,
    rows: 24,
    env: { ...(proxyEnv() as Record<string, string>), TERM: "xterm-256color", NO_COLOR: "" },
  });
  pane = p;
  // Remember the terminal's settings to compare once top is gone (raw mode must not linger).
  await p.run(`stty -g > ${home.home}/stty-before; clear`);
  // `exec` keeps the shell's pid, written down so a test can signal top itself.
  await p.run(
    `sh -c 'echo $$ > ${home.home}/top.pid; exec node ${CLI} top --url http://127.0.0.1:${port} --interval ${interval}'`,
  );
  await p.waitFor((s) => s.includes("● live") && s.includes("[1 Overview]"), "top to go live");
  expect(await p.display("#{alternate_on}")).toBe("1");
  return p;
}

/** The checks after top has gone: normal screen, cursor shown, tty settings as before, exit code. */
async function expectRestored(p: TmuxPane, exitCode: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await p.display("#{alternate_on}")) !== "0" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await p.display("#{alternate_on}")).toBe("0");
  expect(await p.display("#{cursor_flag}")).toBe("1");
  await p.run(`echo "exit=$?"; stty -g | cmp -s - ${home.home}/stty-before && echo tty-same`);
  const screen = await p.waitFor((s) => /exit=\d+/.test(s), "the exit code");
  expect(screen).toContain(`exit=${exitCode}`);
  expect(screen).toContain("tty-same");
  // The normal screen is back as it was: the command line that started top is on it.
  expect(screen).toContain("exec node");
}

describe.skipIf(!run)("switchyard top in tmux", () => {
  beforeAll(async () => {
    await ensureBuilt();
    home = await tempHome();
    mocks = [await startTarget(), await startTarget()];
    await writeFile(
      join(home.home, "config.json"),
      JSON.stringify({
        apiKey: CLIENT_KEY,
        backends: {
          oa: {
            type: "openai",
            apiKey: UPSTREAM_KEY,
            targets: mocks.map((m, i) => ({
              id: i === 0 ? "east" : "west",
              baseUrl: `${m.url}/v1`,
            })),
          },
        },
        routes: [{ match: "gpt-*", backend: "oa" }],
        defaultBackend: "oa",
        prices: { "gpt-test*": { input: 1, output: 2 } },
        // $0.002 a request: the fourth crosses $0.007 and halts the proxy.
        budgets: [{ name: "daily", limitUsd: 0.007, period: "day" }],
        overageGuard: { enabled: true, behavior: "halt", cooldownMs: 0, notifyOs: false },
      }),
    );
    proxy = await startProxy(["--port", "0"], proxyEnv());
    port = proxy.port;
  }, 120_000);

  afterEach(async () => {
    await pane?.kill();
    pane = undefined;
  });

  afterAll(async () => {
    proxy?.kill();
    await proxy?.exited;
    await Promise.all(mocks.map((m) => m.close()));
    await home?.cleanup();
  });

  it("shows live traffic, switches views, resumes the guard, survives the proxy going away, quits with q", async () => {
    const p = await openTop();

    // Live overview: requests appear as they are sent.
    expect(await chat("gpt-test-a")).toBe(200);
    expect(await chat("gpt-test-a")).toBe(200);
    await p.waitFor(
      (s) => /Last 15m: 2 requests/.test(s) && /gpt-test-a\s+\S/.test(s),
      "2 requests in the overview",
    );
    let screen = await p.capture();
    expect(screen).toMatch(/^oa\s+[\d.]+/m);

    // An attacker-chosen model name is drawn inert: no retitle, no clear, visible as text.
    expect(await chat(EVIL_MODEL)).toBe(200);
    screen = await p.waitFor((s) => s.includes("EVIL"), "the hostile model name");
    expect(screen).toContain("gpt-test-?]2;pwned??c?[31mEVIL");
    expect(await p.display("#{pane_title}")).not.toContain("pwned");
    expect(screen).toContain("[1 Overview]"); // not cleared

    // Requests view: newest first, model → backend/target, status, cost.
    await p.keys("2");
    screen = await p.waitFor(
      (s) => s.includes("[2 Requests]") && s.includes("MODEL → BACKEND"),
      "the requests view",
    );
    expect(screen).toMatch(/\d\d:\d\d:\d\d 200 gpt-test-\?\]2;pwned/);
    expect(screen).toMatch(/200 gpt-test-a → oa\/(east|west)/);
    expect(screen).toContain("$0.0020");

    // Headroom view: both targets with a request-window bar and its reset countdown.
    await p.keys("3");
    screen = await p.waitFor(
      (s) => s.includes("[3 Headroom]") && /resets \d+s/.test(s),
      "the headroom view",
    );
    expect(screen).toContain("oa  2 targets");
    expect(screen).toMatch(/east\s+ready · breaker closed/);
    expect(screen).toMatch(/requests\s+█+░*\s+\d+%\s+\d+\/100\s+resets \d+s/);

    // The fourth request crosses the budget: the guard halts, and top says so.
    expect(await chat("gpt-test-a")).toBe(200);
    for (let i = 0; i < 50 && (await guardState()) !== "halted"; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await guardState()).toBe("halted");
    expect(await chat("gpt-test-a")).not.toBe(200);
    await p.keys("4");
    screen = await p.waitFor(
      (s) => s.includes("[4 Guard]") && s.includes("HALTED for"),
      "the halted guard",
    );
    expect(screen).toContain("guard HALTED (r to resume)");
    expect(screen).toMatch(/daily\s+day\s+█+\s+\d+%\s+\$0\.00\d+ \/ \$0\.0070\s+crossed/);

    // r asks first; n leaves it halted.
    await p.keys("r");
    await p.waitFor((s) => s.includes("Resume the halted guard"), "the resume question");
    await p.keys("n");
    await p.waitFor((s) => s.includes("resume cancelled"), "the cancelled resume");
    expect(await guardState()).toBe("halted");
    // r then y resumes.
    await p.keys("r");
    await p.waitFor((s) => s.includes("Resume the halted guard"), "the resume question");
    await p.keys("y");
    screen = await p.waitFor(
      (s) => s.includes("resumed switchyard proxy") && s.includes("guard ok"),
      "the resume",
    );
    expect(await guardState()).toBe("ok");
    expect(await chat("gpt-test-a")).toBe(200);

    // Tab cycles from the last view to the first; left goes back.
    await p.keys("Tab");
    await p.waitFor((s) => s.includes("[1 Overview]"), "tab to the overview");
    await p.keys("Left");
    await p.waitFor((s) => s.includes("[4 Guard]"), "left to the guard view");
    await p.keys("1");

    // A resize redraws to the new size; the wide layout adds the API and ROUTE columns.
    await p.keys("2");
    await p.resize(110, 30);
    screen = await p.waitFor(
      (s) => s.includes("ROUTE") && s.split("\n").length >= 30,
      "the wide layout",
    );
    expect(screen).toMatch(/200 chat gpt-test-a/);
    await p.resize(80, 24);
    screen = await p.waitFor(
      (s) => !s.includes("ROUTE") && s.includes("[2 Requests]"),
      "80×24 again",
    );
    for (const line of screen.split("\n")) expect(line.length).toBeLessThanOrEqual(80);

    // The proxy goes away: top says so and keeps trying; it comes back on the same port.
    proxy?.child.kill("SIGTERM");
    await proxy?.exited;
    await p.waitFor((s) => s.includes("disconnected, retrying"), "the disconnected line");
    proxy = await startProxy(["--port", String(port)], proxyEnv());
    await p.waitFor((s) => s.includes("● live"), "top to reconnect", 45_000);

    // No secret is ever drawn.
    screen = await p.capture();
    expect(screen).not.toContain(CLIENT_KEY);
    expect(screen).not.toContain(UPSTREAM_KEY);

    await p.keys("q");
    await expectRestored(p, 0);
  }, 240_000);

  it("restores the terminal on Ctrl-C and on SIGTERM", async () => {
    let p = await openTop();
    await p.keys("3"); // a view with pending fetches
    await p.keys("C-c");
    await expectRestored(p, 0);
    await p.kill();

    p = await openTop();
    const pid = Number((await readFile(join(home.home, "top.pid"), "utf8")).trim());
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGTERM");
    await expectRestored(p, 143);
  }, 180_000);

  it("shows new requests from the event stream, not from polling, and after a proxy restart", async () => {
    const resume = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/admin/resume`, {
        method: "POST",
        headers: { "x-api-key": CLIENT_KEY },
      });
      expect(res.status).toBe(200);
    };
    await resume(); // the budget is spent: every request now halts the guard again after it
    // Snapshots every 60 s: a row that shows within seconds came on GET /events?requests=1.
    const p = await openTop(60);
    await p.keys("2");
    await p.waitFor((s) => s.includes("[2 Requests]"), "the requests view");
    expect(await chat("gpt-test-streamed")).toBe(200);
    await p.waitFor((s) => s.includes("gpt-test-streamed"), "the streamed request", 8000);

    // The proxy restarts: the stream comes back by itself (backoff up to 5 s), rows resume.
    proxy?.child.kill("SIGTERM");
    await proxy?.exited;
    proxy = await startProxy(["--port", String(port)], proxyEnv());
    await resume(); // the restarted proxy restored the halt from its home
    await new Promise((r) => setTimeout(r, 6000)); // longer than the longest backoff
    expect(await chat("gpt-test-after-restart")).toBe(200);
    await p.waitFor(
      (s) => s.includes("gpt-test-after-restart"),
      "a request after the restart",
      8000,
    );
    await p.keys("q");
    await expectRestored(p, 0);
  }, 120_000);
});
