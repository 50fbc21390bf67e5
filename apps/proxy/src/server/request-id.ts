import { randomUUID } from "node:crypto";

/** Ids made from one random UUID before the next is drawn (the last 4 hex digits count). */
export const IDS_PER_UUID = 0x10000;

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * A source of request ids in the text form of a random (version 4) UUID, unique in the
 * process: every {@link IDS_PER_UUID} ids share one `randomUUID()` (106 random bits) and
 * differ in its last four hex digits, which count. A `randomUUID()` per request formats 16
 * random bytes as hex each time (~0.5-1 µs a request in the proxy's profile); this formats
 * two bytes.
 */
export function createRequestIds(uuid: () => string = randomUUID): () => string {
  let prefix = "";
  let next = IDS_PER_UUID;
  return () => {
    if (next === IDS_PER_UUID) {
      prefix = uuid().slice(0, 32);
      next = 0;
    }
    const n = next++;
    return `${prefix}${HEX2[n >> 8]}${HEX2[n & 0xff]}`;
  };
}
