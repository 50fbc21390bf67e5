/**
 * Finding the word `error` in the bytes of an upstream answer: every relayed byte is searched
 * once (the redaction's quick test, {@link mayHoldError} in redact-upstream.ts), so this is
 * the relay's one per-byte cost. A short buffer (one stream event) is searched by a JS skip
 * loop; a long one (a socket read of many events, a JSON body) is copied into WebAssembly
 * memory and searched 16 bytes at a time with SIMD compares, about three times faster than
 * the loop, copy included. Node's own `Buffer#indexOf` is slower than both for a 5-byte word.
 */

/** Index of the next `error` in the bytes at or after `from`, or -1. */
export type FindError = (bytes: Uint8Array, from: number) => number;

/**
 * The skip loop: a Horspool search. Most bytes of an event are none of `e`, `r`, `o`, so it
 * looks at about one byte in four; for a stream event it beats setting up the SIMD search.
 */
export function findErrorLoop(bytes: Uint8Array, from: number): number {
  const end = bytes.length;
  let i = from + 4;
  while (i < end) {
    const c = bytes[i];
    if (c === 0x72 /* r */) {
      if (
        bytes[i - 1] === 0x6f &&
        bytes[i - 2] === 0x72 &&
        bytes[i - 3] === 0x72 &&
        bytes[i - 4] === 0x65
      ) {
        return i - 4;
      }
      i += 2;
    } else if (c === 0x6f /* o */) i += 1;
    else if (c === 0x65 /* e */) i += 4;
    else i += 5;
  }
  return -1;
}

/** From this length on a buffer is searched with SIMD (below it the copy and call cost more). */
export const SIMD_MIN_BYTES = 256;
/** The most bytes copied into WebAssembly memory; a longer buffer is searched by the loop. */
const SIMD_MAX_BYTES = 1024 * 1024;
/** Bytes the SIMD loop may read past the end (a 16-byte load at `end - 1 + 4`). */
const SLACK = 32;
const PAGE = 64 * 1024;

// --- the WebAssembly module, assembled here (no toolchain, no binary file in the repo) -------

/** Unsigned LEB128. */
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
/** Signed LEB128. */
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => vec([...text].map((c) => [c.charCodeAt(0)]));

const I32 = 0x7f;
const V128 = 0x7b;
const simd = (op: number) => [0xfd, ...uleb(op)];
/** v128.load with alignment 1 and a constant offset. */
const v128Load = (offset: number) => [...simd(0x00), 0x00, ...uleb(offset)];
/** v128.const with every lane `byte`. */
const splat = (byte: number) => [...simd(0x0c), ...new Array<number>(16).fill(byte)];
const i8x16Eq = simd(0x23);
const v128And = simd(0x4e);
const v128AnyTrue = simd(0x53);
const i8x16Bitmask = simd(0x64);
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const tee = (i: number) => [0x22, i];
const i32Const = (n: number) => [0x41, ...sleb(n)];
const load8 = (offset: number) => [0x2d, 0x00, ...uleb(offset)];
const [BLOCK, LOOP, IF, END, BR, BR_IF, RETURN, VOID] = [
  0x02, 0x03, 0x04, 0x0b, 0x0c, 0x0d, 0x0f, 0x40,
];
const [I32_EQ, I32_GT_U, I32_GE_U, I32_CTZ, I32_ADD, I32_SUB, I32_AND] = [
  0x46, 0x4b, 0x4f, 0x68, 0x6a, 0x6b, 0x71,
];

/**
 * `find(from, end)`: the index of the first `error` starting in [from, end - 5] of memory, or
 * -1. Per 16 start positions: lanes where `e` is at +0, `o` at +3 and `r` at +4 (three
 * unaligned loads and compares); the few candidate lanes are then checked for the `rr` at
 * +1, +2 one by one, in order. Memory past `end` is never part of a match.
 *
 *   (func (param $from i32) (param $end i32) (result i32)
 *     (local $i i32) (local $bits i32) (local $pos i32) (local $m v128)
 *     (local.set $i (local.get $from))
 *     (block (loop
 *       (br_if 1 (i32.ge_u (local.get $i) (local.get $end)))
 *       (local.set $m (v128.and (v128.and
 *         (i8x16.eq (v128.load (local.get $i)) (v128.const "e"×16))
 *         (i8x16.eq (v128.load offset=4 (local.get $i)) (v128.const "r"×16)))
 *         (i8x16.eq (v128.load offset=3 (local.get $i)) (v128.const "o"×16))))
 *       (if (v128.any_true (local.get $m)) (then
 *         (local.set $bits (i8x16.bitmask (local.get $m)))
 *         (loop
 *           (local.set $pos (i32.add (local.get $i) (i32.ctz (local.get $bits))))
 *           (if (i32.gt_u (i32.add (local.get $pos) 5) (local.get $end)) (return -1))
 *           (if (i32.and (i32.eq (i32.load8_u offset=1 (local.get $pos)) "r")
 *                        (i32.eq (i32.load8_u offset=2 (local.get $pos)) "r"))
 *             (return (local.get $pos)))
 *           (br_if 0 (local.tee $bits (i32.and (local.get $bits)
 *                                              (i32.sub (local.get $bits) 1)))))))
 *       (local.set $i (i32.add (local.get $i) 16))
 *       (br 0)))
 *     -1)
 */
function findModuleBytes(): Uint8Array<ArrayBuffer> {
  const [from, end, i, bits, pos, m] = [0, 1, 2, 3, 4, 5];
  const body = [
    ...vec([
      [1, I32],
      [1, I32],
      [1, I32],
      [1, V128],
    ]),
    ...get(from),
    ...set(i),
    ...[BLOCK, VOID, LOOP, VOID],
    ...get(i),
    ...get(end),
    I32_GE_U,
    ...[BR_IF, 1],
    ...get(i),
    ...v128Load(0),
    ...splat(0x65),
    ...i8x16Eq,
    ...get(i),
    ...v128Load(4),
    ...splat(0x72),
    ...i8x16Eq,
    ...v128And,
    ...get(i),
    ...v128Load(3),
    ...splat(0x6f),
    ...i8x16Eq,
    ...v128And,
    ...tee(m),
    ...v128AnyTrue,
    ...[IF, VOID],
    ...get(m),
    ...i8x16Bitmask,
    ...set(bits),
    ...[LOOP, VOID],
    ...get(i),
    ...get(bits),
    I32_CTZ,
    I32_ADD,
    ...tee(pos),
    ...i32Const(5),
    I32_ADD,
    ...get(end),
    I32_GT_U,
    ...[IF, VOID, ...i32Const(-1), RETURN, END],
    ...get(pos),
    ...load8(1),
    ...i32Const(0x72),
    I32_EQ,
    ...get(pos),
    ...load8(2),
    ...i32Const(0x72),
    I32_EQ,
    I32_AND,
    ...[IF, VOID, ...get(pos), RETURN, END],
    ...get(bits),
    ...get(bits),
    ...i32Const(1),
    I32_SUB,
    I32_AND,
    ...tee(bits),
    ...[BR_IF, 0],
    END, // loop over candidate lanes
    END, // if any lane
    ...get(i),
    ...i32Const(16),
    I32_ADD,
    ...set(i),
    ...[BR, 0],
    ...[END, END], // loop, block
    ...i32Const(-1),
    END,
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32]]), ...vec([[I32]])]])), // (i32, i32) -> i32
    ...section(3, vec([[0]])), // one function of that type
    ...section(5, vec([[0x00, 1]])), // memory: 1 page, no maximum
    ...section(
      7,
      vec([
        [...name("find"), 0x00, 0],
        [...name("memory"), 0x02, 0],
      ]),
    ),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

interface SimdFinder {
  find: (from: number, end: number) => number;
  memory: WebAssembly.Memory;
  view: Uint8Array;
}

/** The SIMD search, or `null` where WebAssembly SIMD is not available (e.g. `--jitless`). */
let simdFinder: SimdFinder | null | undefined;

function loadSimd(): SimdFinder | null {
  try {
    const bytes = findModuleBytes();
    if (typeof WebAssembly === "undefined" || !WebAssembly.validate(bytes)) return null;
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as {
      find: (from: number, end: number) => number;
      memory: WebAssembly.Memory;
    };
    return {
      find: exports.find,
      memory: exports.memory,
      view: new Uint8Array(exports.memory.buffer),
    };
  } catch {
    return null;
  }
}

/** Length of the buffer last copied into WebAssembly memory. */
let stagedLength = 0;
/** Searches the staged copy (the `bytes` argument is the buffer that was copied). */
const findStaged: FindError = (_bytes, from) => (simdFinder as SimdFinder).find(from, stagedLength);

/**
 * The search for `bytes`: for a long buffer, a SIMD search over a copy of it made now (valid
 * until the next call, so use it at once, synchronously); otherwise the loop.
 */
export function errorFinder(bytes: Uint8Array): FindError {
  const length = bytes.length;
  if (length < SIMD_MIN_BYTES || length > SIMD_MAX_BYTES) return findErrorLoop;
  if (simdFinder === undefined) simdFinder = loadSimd();
  const wasm = simdFinder;
  if (wasm === null) return findErrorLoop;
  if (length + SLACK > wasm.view.length) {
    wasm.memory.grow(Math.ceil((length + SLACK - wasm.view.length) / PAGE));
    wasm.view = new Uint8Array(wasm.memory.buffer);
  }
  wasm.view.set(bytes);
  stagedLength = length;
  return findStaged;
}

/** Whether the SIMD search is available here (for tests). */
export function simdAvailable(): boolean {
  if (simdFinder === undefined) simdFinder = loadSimd();
  return simdFinder !== null;
}
