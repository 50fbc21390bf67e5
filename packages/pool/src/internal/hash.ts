/** FNV-1a 32-bit over UTF-16 code units; fast and stable, not cryptographic. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3's finaliser: spreads every input bit over the output. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Weighted rendezvous (highest random weight) score of a key on a target: the target with the
 * highest score owns the key, and removing another target never moves it.
 */
export function rendezvousScore(keyHash: number, idHash: number, weight: number): number {
  return weight / -Math.log((rendezvousHash(keyHash, idHash) + 0.5) / 4_294_967_296);
}

/** The uniform 32-bit draw behind `rendezvousScore`; with equal weights, compare these. */
export function rendezvousHash(keyHash: number, idHash: number): number {
  return mix32((keyHash ^ Math.imul(idHash, 0x9e3779b1)) >>> 0);
}
