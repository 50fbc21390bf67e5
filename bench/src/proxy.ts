/**
 * Proxy overhead: the built `switchyard proxy` (apps/proxy/dist/cli.js, a child process)
 * against a bare `node:http` + undici pass-through baseline (another child), both in front
 * of the same mock upstream (a third child). An undici load generator in this process
 * measures requests/s and p50/p99 latency for non-streaming and streaming, pass-through and
 * translated, at c=1 and c=16; every number is printed next to the baseline's.
 *
 * Targets: translated non-streaming ≥ 0.8× the baseline's req/s at c=16; added p50 at c=1
 * ≤ 0.3 ms; proxy RSS under load ≤ 80 MB. Medians over five paired rounds; about 90 s.
 * `BENCH_NODE_FLAGS="…"` starts switchyard (only) with those node flags, e.g. the low-memory
 * settings in apps/proxy's README.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const WARMUP_MS = 150;
const MEASURE_MS = 600;
/**
 * Baseline and switchyard alternate this many times. The machine is shared, so each round's
 * pair is compared on its own and the median of the per-round ratios is reported; latencies
 * and CPU are medians over the rounds too.
 */
const ROUNDS = 5;
const CONCURRENCY = [1, 16] as const;
const STREAM_EVENTS = 20;

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "../../apps/proxy/dist/cli.js");
const undiciUrl = import.meta.resolve("undici");

/** The mock upstream: fixed OpenAI and Anthropic answers, JSON or SSE, no delay. */
const mockSource = `
import { createServer } from "node:http";
const N = ${STREAM_EVENTS};
const oaJson = JSON.stringify({ id: "chatcmpl-b", object: "chat.completion", created: 1, model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "The quick brown fox jumps over the lazy dog." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 } });
const anJson = JSON.stringify({ id: "msg_b", type: "message", role: "assistant", model: "m",
  content: [{ type: "text", text: "The quick brown fox jumps over the lazy dog." }], stop_reason: "end_turn", stop_sequence: null,
  usage: { input_tokens: 20, output_tokens: 10 } });
const chunk = (d, f) => "data: " + JSON.stringify({ id: "chatcmpl-b", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: d, finish_reason: f }] }) + "\\n\\n";
const oaSse = [chunk({ role: "assistant", content: "" }, null)];
for (let i = 0; i < N; i++) oaSse.push(chunk({ content: "word" + i + " " }, null));
oaSse.push(chunk({}, "stop"), "data: " + JSON.stringify({ id: "chatcmpl-b", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage: { prompt_tokens: 20, completion_tokens: N, total_tokens: 20 + N } }) + "\\n\\n", "data: [DONE]\\n\\n");
const ev = (o) => "event: " + o.type + "\\ndata: " + JSON.stringify(o) + "\\n\\n";
const anSse = [ev({ type: "message_start", message: { id: "msg_b", type: "message", role: "assistant", model: "m", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 20, output_tokens: 1 } } }),
  ev({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } })];
for (let i = 0; i < N; i++) anSse.push(ev({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "word" + i + " " } }));
anSse.push(ev({ type: "content_block_stop", index: 0 }), ev({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: N } }), ev({ type: "message_stop" }));
const server = createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (c) => { body += c; });
  req.on("end", () => {
    const anthropic = req.url.startsWith("/v1/messages");
    if (body.includes('"stream":true')) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const e of anthropic ? anSse : oaSse) res.write(e);
      res.end();
    } else {
      const text = anthropic ? anJson : oaJson;
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    }
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));
`;

/** The baseline: read the body, forward it with undici to the same path, pipe the answer back. */
const baselineSource = (upstream: string) => `
import { createServer } from "node:http";
import { Pool } from ${JSON.stringify(undiciUrl)};
const pool = new Pool(${JSON.stringify(upstream)}, { connections: 64 });
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  try {
    const up = await pool.request({ path: req.url, method: "POST", body: Buffer.concat(chunks),
      headers: { "content-type": "application/json", authorization: "Bearer bench" } });
    res.writeHead(up.statusCode, { "content-type": up.headers["content-type"] });
    for await (const c of up.body) res.write(c);
    res.end();
  } catch { res.writeHead(502); res.end(); }
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));
`;

/** Starts `node` on a script and waits for its `PORT n` line. */
function startChild(file: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once("exit", (code) => reject(new Error(`bench child exited early (${code})`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("switchyard did not become healthy");
}

/** User + system CPU time of a process in milliseconds (Linux `/proc`, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident memory of a process (MB): in all, and the part backed by files. */
interface Rss {
  total: number;
  /** Mapped files: the node binary's code and data pages and its shared libraries. */
  file: number;
}

/** `peak`, or the process's resident memory now if that is higher. */
function higherRss(peak: Rss, pid: number | undefined): Rss {
  if (pid === undefined) return peak;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const total = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  const file = Number(/RssFile:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  return total > peak.total ? { total, file } : peak;
}

/** A peak of {@link higherRss} samples, split as anonymous (heap, stacks) + file-backed. */
function describeRss(rss: Rss): string {
  return `${f(rss.total, 1)} MB (${f(rss.total - rss.file, 1)} anonymous + ${f(rss.file, 1)} file-backed)`;
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  /** CPU the proxy process spent per request (µs); immune to scheduling noise. */
  cpuUs: number;
}

/** Runs `c` closed loops against `origin` for the warmup + measure window. */
async function load(
  origin: string,
  path: string,
  body: string,
  c: number,
  pid?: number,
): Promise<Result> {
  const cpuBefore = pid === undefined ? 0 : cpuMs(pid);
  let requests = 0;
  const pool = new Pool(origin, { connections: c, pipelining: 1 });
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + MEASURE_MS;
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const res = await pool.request({
        path,
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`${origin}${path}: HTTP ${res.statusCode}`);
      requests += 1;
      if (t0 >= measureFrom) latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: c }, loop));
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const cpuUs = pid === undefined ? 0 : ((cpuMs(pid) - cpuBefore) * 1000) / requests;
  return { rps: latencies.length / (MEASURE_MS / 1000), p50: at(0.5), p99: at(0.99), cpuUs };
}

interface Scenario {
  name: string;
  /** Request to switchyard. */
  path: string;
  body: string;
  /** The baseline's equivalent pass-through request. */
  basePath: string;
  baseBody: string;
}

const chat = (model: string, stream: boolean) =>
  JSON.stringify({ model, stream, messages: [{ role: "user", content: "Say something short." }] });

/** The same question as a Responses request (`/v1/responses`). */
const responses = (model: string, stream: boolean) =>
  JSON.stringify({ model, stream, store: false, input: "Say something short." });

const scenarios: Scenario[] = [
  {
    name: "pass-through",
    path: "/v1/chat/completions",
    body: chat("gpt-bench", false),
    basePath: "/v1/chat/completions",
    baseBody: chat("gpt-bench", false),
  },
  {
    name: "pass-through stream",
    path: "/v1/chat/completions",
    body: chat("gpt-bench", true),
    basePath: "/v1/chat/completions",
    baseBody: chat("gpt-bench", true),
  },
  {
    name: "translated",
    path: "/v1/chat/completions",
    body: chat("claude-bench", false),
    basePath: "/v1/chat/completions",
    baseBody: chat("claude-bench", false),
  },
  {
    name: "translated stream",
    path: "/v1/chat/completions",
    body: chat("claude-bench", true),
    basePath: "/v1/chat/completions",
    baseBody: chat("claude-bench", true),
  },
  // The Responses API translated to Anthropic and to Chat Completions, against the same
  // bare pipe: judged against the translated Chat Completions paths of the same run.
  {
    name: "responses → anthropic",
    path: "/v1/responses",
    body: responses("claude-bench", false),
    basePath: "/v1/chat/completions",
    baseBody: chat("claude-bench", false),
  },
  {
    name: "responses → anthropic stream",
    path: "/v1/responses",
    body: responses("claude-bench", true),
    basePath: "/v1/chat/completions",
    baseBody: chat("claude-bench", true),
  },
  {
    name: "responses → chat stream",
    path: "/v1/responses",
    body: responses("gpt-bench", true),
    basePath: "/v1/chat/completions",
    baseBody: chat("gpt-bench", true),
  },
];

/** Which translated Chat Completions scenario a Responses scenario is judged against. */
const responsesBaseline: Record<string, string> = {
  "responses → anthropic": "translated",
  "responses → anthropic stream": "translated stream",
  "responses → chat stream": "translated stream",
};

const f = (n: number, d = 2) => n.toFixed(d);

const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** The median of each field over several rounds. */
function medianResult(rounds: Result[]): Result {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    cpuUs: median(rounds.map((r) => r.cpuUs)),
  };
}

/**
 * Capture off (the proxy measured above) against capture on (`proxy --capture`), paired in the
 * same rounds with the baseline; CPU per request is the judge. Off must match the proxy
 * without the feature; on may cost what recording costs (scrubbing, a file write per request).
 */
async function measureCapture(p: {
  base: string;
  ours: string;
  captured: string;
  baseline: { child: ChildProcess };
  proxy: ChildProcess;
  capturing: ChildProcess;
}): Promise<string[]> {
  console.log("");
  console.log(
    "| capture | c | baseline CPU µs/req | off CPU µs/req (ratio) | on CPU µs/req (ratio) |",
  );
  console.log("|---|---|---|---|---|");
  const out: string[] = [];
  for (const s of scenarios.filter((x) => x.name.startsWith("pass-through"))) {
    for (const c of CONCURRENCY) {
      const rows: [Result, Result, Result][] = [];
      for (let round = 0; round < ROUNDS; round++) {
        rows.push([
          await load(p.base, s.basePath, s.baseBody, c, p.baseline.child.pid),
          await load(p.ours, s.path, s.body, c, p.proxy.pid),
          await load(p.captured, s.path, s.body, c, p.capturing.pid),
        ]);
      }
      const [b, off, on] = [0, 1, 2].map((i) => medianResult(rows.map((r) => r[i] as Result)));
      if (b === undefined || off === undefined || on === undefined) continue;
      const offRatio = median(rows.map((r) => r[1].cpuUs / r[0].cpuUs));
      const onRatio = median(rows.map((r) => r[2].cpuUs / r[0].cpuUs));
      console.log(
        `| ${s.name} | ${c} | ${f(b.cpuUs, 0)} | ${f(off.cpuUs, 0)} (${f(offRatio)}×) | ${f(on.cpuUs, 0)} (${f(onRatio)}×) |`,
      );
      if (c === 16)
        out.push(
          `${s.name} c=16 CPU/req vs baseline: capture off ${f(offRatio)}×, on ${f(onRatio)}× (off target ≤ 1.25×)`,
        );
    }
  }
  return out;
}

/** Runs the proxy benchmark and prints a table. */
export async function run(): Promise<void> {
  if (!existsSync(cli)) {
    console.log(`skipped: ${cli} is missing; build it first (pnpm --filter @switchyard/cli build)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
  const children: ChildProcess[] = [];
  try {
    writeFileSync(join(dir, "mock.mjs"), mockSource);
    const mock = await startChild(join(dir, "mock.mjs"));
    children.push(mock.child);
    const upstream = `http://127.0.0.1:${mock.port}`;
    writeFileSync(join(dir, "baseline.mjs"), baselineSource(upstream));
    const baseline = await startChild(join(dir, "baseline.mjs"));
    children.push(baseline.child);

    const port = await freePort();
    const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? [];
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({
        backends: {
          oa: { type: "openai", baseUrl: `${upstream}/v1`, apiKey: "bench" },
          an: { type: "anthropic", baseUrl: upstream, apiKey: "bench" },
        },
        routes: [
          { match: "gpt-*", backend: "oa" },
          { match: "claude-*", backend: "an" },
        ],
      }),
    );
    const startProxy = (proxyPort: number, extra: string[] = []) =>
      spawn(
        process.execPath,
        [
          ...nodeFlags,
          cli,
          "proxy",
          "--port",
          String(proxyPort),
          "--config",
          join(dir, "config.json"),
          ...extra,
        ],
        {
          env: { ...process.env, SWITCHYARD_HOME: dir },
          // The request log (one JSON line per request on stdout) is written, as in real use.
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
    const proxy = startProxy(port);
    children.push(proxy);
    // A second switchyard with `--capture`: what recording costs, next to the same proxy off.
    const capturePort = await freePort();
    const capturing = startProxy(capturePort, ["--capture", join(dir, "capture")]);
    children.push(capturing);
    let proxyStderr = "";
    proxy.stderr?.on("data", (d: Buffer) => {
      proxyStderr = (proxyStderr + d.toString()).slice(-2000);
    });
    const ours = `http://127.0.0.1:${port}`;
    await waitHealthy(ours).catch((error: Error) => {
      throw new Error(`${error.message}; its stderr: ${proxyStderr || "(empty)"}`);
    });
    const base = `http://127.0.0.1:${baseline.port}`;
    const captured = `http://127.0.0.1:${capturePort}`;
    await waitHealthy(captured);

    let maxRss: Rss = { total: 0, file: 0 };
    let baselineRss: Rss = { total: 0, file: 0 };
    const sampler = setInterval(() => {
      maxRss = higherRss(maxRss, proxy.pid);
      baselineRss = higherRss(baselineRss, baseline.child.pid);
    }, 100);

    console.log(
      "| scenario | c | baseline req/s | switchyard req/s | ratio | baseline p50/p99 ms | switchyard p50/p99 ms | added p50/p99 ms | CPU µs/req baseline / switchyard |",
    );
    console.log("|---|---|---|---|---|---|---|---|---|");
    // JIT warm-up of every path in all three processes before anything is measured.
    for (const s of scenarios) {
      await load(base, s.basePath, s.baseBody, 4);
      await load(ours, s.path, s.body, 4);
    }
    const verdicts: string[] = [];
    /** Switchyard's median CPU µs per request, by scenario and concurrency. */
    const cpuOf = new Map<string, number>();
    for (const s of scenarios) {
      for (const c of CONCURRENCY) {
        const bases: Result[] = [];
        const ourRounds: Result[] = [];
        const ratios: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const br = await load(base, s.basePath, s.baseBody, c, baseline.child.pid);
          const or = await load(ours, s.path, s.body, c, proxy.pid);
          bases.push(br);
          ourRounds.push(or);
          ratios.push(or.rps / br.rps);
        }
        const b = medianResult(bases);
        const o = medianResult(ourRounds);
        const ratio = median(ratios);
        console.log(
          `| ${s.name} | ${c} | ${f(b.rps, 0)} | ${f(o.rps, 0)} | ${f(ratio)}× | ${f(b.p50)} / ${f(b.p99)} | ${f(o.p50)} / ${f(o.p99)} | ${f(o.p50 - b.p50)} / ${f(o.p99 - b.p99)} | ${f(b.cpuUs, 0)} / ${f(o.cpuUs, 0)} |`,
        );
        cpuOf.set(`${s.name}@${c}`, o.cpuUs);
        const judge = responsesBaseline[s.name];
        const judgeCpu = judge === undefined ? undefined : cpuOf.get(`${judge}@${c}`);
        if (judge !== undefined && judgeCpu !== undefined && judgeCpu > 0)
          verdicts.push(
            `${s.name} c=${c} CPU/req ${f(o.cpuUs / judgeCpu)}× of ${judge} (target ≤ 1.10×)`,
          );
        if (s.name === "translated" && c === 16)
          verdicts.push(`translated c=16 req/s ratio ${f(ratio)}× (target ≥ 0.80×)`);
        if (s.name === "pass-through" && c === 1)
          verdicts.push(`pass-through c=1 added p50 ${f(o.p50 - b.p50, 3)} ms (target ≤ 0.3 ms)`);
        if (s.name === "translated" && c === 1)
          verdicts.push(`translated c=1 added p50 ${f(o.p50 - b.p50, 3)} ms`);
      }
    }
    verdicts.push(...(await measureCapture({ base, ours, captured, baseline, proxy, capturing })));
    clearInterval(sampler);
    verdicts.push(
      `switchyard max RSS under load ${describeRss(maxRss)}; target ≤ 80 MB; baseline ${describeRss(baselineRss)}`,
    );
    if (nodeFlags.length > 0)
      verdicts.push(`switchyard ran with node flags: ${nodeFlags.join(" ")}`);
    console.log("");
    for (const v of verdicts) console.log(`- ${v}`);
  } finally {
    // SIGTERM lets switchyard drain and exit (and write a --cpu-prof profile if asked).
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            const timer = setTimeout(() => {
              child.kill("SIGKILL");
              resolve();
            }, 3000);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}
