const encoder = new TextEncoder();
const TWO_32 = 0x1_0000_0000;

/**
 * FNV-1a 64-bit over the UTF-8 bytes of `input`, as 16 lowercase hex digits.
 * Runs on two 32-bit halves so it stays exact in doubles and needs no BigInt.
 */
export function fnv1a64(input: string): string {
  const bytes = encoder.encode(input);
  // Offset basis 0xcbf29ce484222325.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]!) >>> 0;
    // Multiply by the prime 0x100000001b3 = 2^40 + 0x1b3. lo * 0x1b3 < 2^41, exact.
    const t = lo * 0x1b3;
    const carry = Math.floor(t / TWO_32);
    hi = (hi * 0x1b3 + carry + (lo << 8)) >>> 0;
    lo = t >>> 0;
  }
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}
