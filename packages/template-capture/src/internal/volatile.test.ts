import { describe, expect, it } from "vitest";
import { normalizeVolatile, normalizeVolatileText } from "./volatile.js";

describe("normalizeVolatile", () => {
  it("normalises keys named for a moment, wherever they appear", () => {
    expect(
      normalizeVolatile({
        turn_started_at_unix_ms: 1796557671382,
        expires_at: 1796557671,
        created_at: "2026-01-05T09:30:12Z",
        attachment: "kept",
        format: "kept",
      }),
    ).toEqual({
      turn_started_at_unix_ms: "<volatile>",
      expires_at: "<volatile>",
      created_at: "<volatile>",
      attachment: "kept",
      format: "kept",
    });
  });

  it("normalises JSON held in a string (Codex's turn metadata header and body field)", () => {
    const metadata = (ms: number, id: string) =>
      JSON.stringify({ session_id: id, turn_started_at_unix_ms: ms, sandbox: "seccomp" });
    const a = metadata(1796557671382, "01a24b2e-8a80-7df3-a29a-4b7eebb0d1d6");
    const b = metadata(1796557699000, "02b35c3f-9b91-7df3-a29a-4b7eebb0d1d7");
    expect(normalizeVolatileText(a)).toBe(normalizeVolatileText(b));
    expect(normalizeVolatileText(a)).toContain('"sandbox":"seccomp"');
    expect(normalizeVolatile({ client_metadata: { turn: a } })).toEqual(
      normalizeVolatile({ client_metadata: { turn: b } }),
    );
    // Text that only looks like JSON is left as text.
    expect(normalizeVolatileText("{not json}")).toBe("{not json}");
  });
});
