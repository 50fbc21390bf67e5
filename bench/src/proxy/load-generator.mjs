// The bench's load generator (its own process, driven over IPC): closed loops with a fixed
// concurrency, or (`rate` > 0) requests sent on a fixed schedule of `rate` a second with at
// most `concurrency` in flight, so that two servers are compared at the same load. For each job it warms up, tells the parent "start" (the parent samples the
// server's CPU then), measures (for `measureMs` and at least `minRequests` requests, up to
// 4 × `measureMs`), stops issuing, waits for the requests in flight and reports.
import { Pool } from "undici";

async function runJob(job) {
  const { origin, path, body, headers, concurrency, warmupMs, measureMs, minRequests, rate } = job;
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const latencies = [];
  let measuring = false;
  let stop = false;
  let completed = 0;
  /** Body bytes of the last answer (every answer of one job has the same size). */
  let responseBytes = 0;
  let failure;
  const began = performance.now();
  let sent = 0;
  const loop = async () => {
    while (!stop && failure === undefined) {
      if (rate > 0) {
        // The next slot of the schedule; a server that falls behind gets the next at once.
        const due = began + (sent++ * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        if (stop) break;
      }
      const t0 = performance.now();
      const inWindow = measuring;
      try {
        const res = await pool.request({ path, method: "POST", body, headers });
        responseBytes = (await res.body.arrayBuffer()).byteLength;
        if (res.statusCode !== 200) failure = `${origin}${path}: HTTP ${res.statusCode}`;
      } catch (error) {
        failure = `${origin}${path}: ${error.message}`;
      }
      if (measuring) completed += 1;
      if (inWindow) latencies.push(performance.now() - t0);
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  await new Promise((r) => setTimeout(r, warmupMs));
  measuring = true;
  process.send({ type: "start" });
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, measureMs));
  // On a loaded machine a window may hold few requests; the server's idle CPU (timers, GC,
  // JIT threads) would then weigh on each. Go on to `minRequests`, for at most 4 windows.
  while (
    completed < minRequests &&
    performance.now() - t0 < 4 * measureMs &&
    failure === undefined
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  stop = true;
  await Promise.all(loops);
  const elapsedMs = performance.now() - t0;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  process.send({
    type: "done",
    failure,
    completed,
    rps: (completed * 1000) / elapsedMs,
    p50: at(0.5),
    p99: at(0.99),
    responseBytes,
  });
}

process.on("message", (job) => {
  runJob(job).catch((error) => process.send({ type: "done", failure: String(error) }));
});
process.send({ type: "ready" });
