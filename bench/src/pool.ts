/**
 * Pool overhead per request, with 2 and with 100 targets, against a baseline of the same empty
 * callback awaited in a trivial loop, measured in the same process. Rows:
 * - `select` — the pure selection decision (`selectTarget`) alone. Target: < 5 µs at 100.
 * - `run` — a whole `pool.run` (select, bookkeeping, header parsing, result) minus baseline,
 *   without a sticky key and with one (a small set of session keys, as in real traffic).
 * Responses carry OpenAI rate-limit headers with a different `remaining` per target, so
 * selection works on real headroom numbers.
 */
import {
  createPool,
  createTargetState,
  type PoolTargetOptions,
  type SelectableTarget,
  selectTarget,
  type TargetState,
} from "@switchyard/pool";

const ROUNDS = 7;
const WARMUP = 20_000;

interface FakeResponse {
  status: number;
  headers: Record<string, string>;
}

function responses(count: number): FakeResponse[] {
  return Array.from({ length: count }, (_, i) => ({
    status: 200,
    headers: {
      "x-ratelimit-limit-requests": "10000",
      "x-ratelimit-remaining-requests": String(5000 + ((i * 7919) % 5000)),
      "x-ratelimit-reset-requests": "6m0s",
      "x-ratelimit-limit-tokens": "2000000",
      "x-ratelimit-remaining-tokens": String(1_000_000 + ((i * 104_729) % 1_000_000)),
      "x-ratelimit-reset-tokens": "1m30s",
    },
  }));
}

/** Median ns per operation over ROUNDS rounds of `iterations` calls. */
async function measure(iterations: number, op: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await op(i);
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await op(i);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Median ns of a synchronous op (no await in the loop). */
function measureSync(iterations: number, op: (i: number) => unknown): number {
  for (let i = 0; i < WARMUP; i++) op(i);
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) op(i);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

interface Row {
  case: string;
  targets: number;
  baselineNs: number;
  poolNs: number;
}

/**
 * Selection alone, on states shaped like a primed pool's. Runs before any `pool.run` so the
 * input object has exactly the shape the pool builds (same keys, same order).
 */
function benchSelection(count: number): Row[] {
  const iterations = count > 10 ? 200_000 : 400_000;
  const rows: Row[] = [];
  const selectable: SelectableTarget[] = Array.from({ length: count }, (_, i) => ({
    id: `t${i}`,
    weight: 1,
    idHash: (i * 2654435761) >>> 0,
  }));
  const now = Date.now();
  const states: TargetState[] = selectable.map((_, i) => {
    const state = createTargetState();
    state.dimensions.push(
      {
        name: "requests",
        limit: 10_000,
        remaining: 5000 + ((i * 7919) % 5000),
        resetAt: now + 360_000,
        source: "headers",
      },
      {
        name: "tokens",
        limit: 2_000_000,
        remaining: 1_000_000 + ((i * 104_729) % 1_000_000),
        resetAt: now + 90_000,
        source: "headers",
      },
    );
    state.vtime = i;
    return state;
  });
  // Same keys in the same order as the pool's call, so the call site stays monomorphic.
  const input = {
    targets: selectable,
    states,
    now,
    openMs: 30_000,
    headroomFloor: 0.1,
    tried: [] as number[],
    keyHash: undefined as number | undefined,
    boundIndex: -1,
    virtualClock: 0,
    random: undefined,
  };
  let sink = 0;
  const emptyNs = measureSync(iterations, (i) => {
    sink += i;
  });
  rows.push({
    case: "select only",
    targets: count,
    baselineNs: emptyNs,
    poolNs: measureSync(iterations, () => {
      sink += selectTarget(input)?.index ?? 0;
    }),
  });
  rows.push({
    case: "select only, sticky (re)bind",
    targets: count,
    baselineNs: emptyNs,
    poolNs: measureSync(iterations, (i) => {
      input.keyHash = i;
      sink += selectTarget(input)?.index ?? 0;
    }),
  });
  input.keyHash = undefined;
  if (sink === -1) console.log(sink);
  return rows;
}

async function benchTargets(count: number): Promise<Row[]> {
  const targets: PoolTargetOptions[] = Array.from({ length: count }, (_, i) => ({ id: `t${i}` }));
  const replies = responses(count);
  const index = new Map(targets.map((t, i) => [t.id, i]));
  const callback = async (target: PoolTargetOptions) => replies[index.get(target.id)!]!;
  const iterations = count > 10 ? 50_000 : 100_000;

  // Baseline: the same callback awaited in a trivial loop, no pool.
  const baselineNs = await measure(iterations, (i) => callback(targets[i % count]!));

  const rows: Row[] = [];
  const pool = createPool({ targets });
  // Prime every target with headers so selection sees real headroom numbers.
  for (let i = 0; i < count * 2; i++) await pool.run(undefined, callback);
  rows.push({
    case: "run, no sticky key",
    targets: count,
    baselineNs,
    poolNs: await measure(iterations, () => pool.run(undefined, callback)),
  });
  const keys = Array.from({ length: 64 }, (_, i) => `session-${i}`);
  rows.push({
    case: "run, sticky key",
    targets: count,
    baselineNs,
    poolNs: await measure(iterations, (i) => pool.run(keys[i % keys.length], callback)),
  });

  return rows;
}

/** Runs the pool benchmark and prints its table. */
export async function run(): Promise<void> {
  const rows = [
    ...benchSelection(2),
    ...benchSelection(100),
    ...(await benchTargets(2)),
    ...(await benchTargets(100)),
  ];
  const header = [
    "case",
    "targets",
    "baseline ns/op",
    "with pool ns/op",
    "overhead µs/op",
    "ratio",
  ];
  const table = rows.map((r) => [
    r.case,
    String(r.targets),
    r.baselineNs.toFixed(0),
    r.poolNs.toFixed(0),
    ((r.poolNs - r.baselineNs) / 1000).toFixed(2),
    `${(r.poolNs / r.baselineNs).toFixed(1)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of table) console.log(line(row));
  const select100 = rows.find((r) => r.case === "select only" && r.targets === 100)!;
  const overheadUs = (select100.poolNs - select100.baselineNs) / 1000;
  console.log(
    `\nselection at 100 targets: ${overheadUs.toFixed(2)} µs (target < 5 µs: ${overheadUs < 5 ? "met" : "NOT met"})`,
  );
}
