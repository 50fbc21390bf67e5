import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { Pool } from "./undici-pool.js";

describe("undici Pool loaded on its own", () => {
  it("is the class undici's index exports", () => {
    const undici = createRequire(import.meta.url)("undici") as typeof import("undici");
    expect(Pool).toBe(undici.Pool);
  });
});
