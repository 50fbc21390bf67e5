import { GCProfiler, getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { createPool } from "./pool.js";

/**
 * Bytes the V8 heap allocated per call of `op`: growth of the used heap plus what every GC in
 * between freed (from `v8.GCProfiler`), the least of three rounds (other work in the process
 * only adds).
 */
async function bytesPerCall(op: () => Promise<unknown>, calls = 20_000): Promise<number> {
  for (let i = 0; i < 2_000; i++) await op();
  let least = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const profiler = new GCProfiler();
    profiler.start();
    const start = getHeapStatistics().used_heap_size;
    for (let i = 0; i < calls; i++) await op();
    const end = getHeapStatistics().used_heap_size;
    let freed = 0;
    for (const gc of profiler.stop().statistics) {
      freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
    }
    least = Math.min(least, (end - start + freed) / calls);
  }
  return least;
}

describe("allocation of a request its first target serves", () => {
  it("stays small: no failure closures, tried list or selection input per request", async () => {
    const response = { status: 200, headers: { "content-type": "application/json" } };
    const answer = async () => response;
    const signal = new AbortController().signal;
    const pool = createPool({ targets: [{ id: "a" }, { id: "b" }] });
    // The same await chain without a pool: what the loop itself allocates.
    const baseline = await bytesPerCall(async () => ({ response: await answer() }));
    const run = await bytesPerCall(() => pool.run(undefined, answer, { signal }));
    // Measured: ~650 B above the baseline, ~1,150 B before the failure path was made lazy.
    expect(run - baseline).toBeLessThan(900);
  });
});

describe("clock readings of a request its first target serves", () => {
  it("are two: the selection's and the answer's", async () => {
    let reads = 0;
    const pool = createPool({
      targets: [{ id: "a" }],
      now: () => {
        reads += 1;
        return 1_000_000;
      },
    });
    const response = { status: 200, headers: {} };
    await pool.run(undefined, async () => response);
    reads = 0;
    await pool.run(undefined, async () => response);
    expect(reads).toBe(2);
  });
});
