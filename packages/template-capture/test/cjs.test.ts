/** The CommonJS build loads with require() and works (it needs `pnpm build` first). */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

describe("CommonJS build", () => {
  it("require()s and estimates tokens (through openai-compat's CommonJS build)", () => {
    const capture = require("../dist/index.cjs") as typeof import("../src/index.js");
    const t = capture.templateFromRequest("/v1/messages", {
      model: "m",
      system: "Be brief.",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(t.system.tokens).toBe(3);
    expect(capture.CaptureError.isInstance(new capture.CaptureError("no_template", "x"))).toBe(
      true,
    );
  });
});
