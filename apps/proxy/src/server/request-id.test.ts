import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRequestIds, IDS_PER_UUID } from "./request-id.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("request ids", () => {
  it("are version-4 UUID text, unique across many blocks", () => {
    const next = createRequestIds();
    const seen = new Set<string>();
    const count = IDS_PER_UUID * 3 + 17;
    for (let i = 0; i < count; i++) {
      const id = next();
      if (i % 997 === 0 || i % IDS_PER_UUID === 0) expect(id).toMatch(UUID_V4);
      seen.add(id);
    }
    expect(seen.size).toBe(count);
  });

  it("draw one random UUID per block of ids, not one per id", () => {
    let drawn = 0;
    const next = createRequestIds(() => {
      drawn += 1;
      return randomUUID();
    });
    const first = next();
    for (let i = 1; i < IDS_PER_UUID; i++) next();
    expect(drawn).toBe(1);
    const second = next();
    expect(drawn).toBe(2);
    // The block's random part is the UUID's; only the last four digits count.
    expect(first.endsWith("0000")).toBe(true);
    expect(second.slice(0, 32)).not.toBe(first.slice(0, 32));
  });
});
