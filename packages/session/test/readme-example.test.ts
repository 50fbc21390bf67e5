import { readFile } from "node:fs/promises";
import { describe, expect, it, vi } from "vitest";
import { trackSessions } from "../examples/track-sessions.js";

describe("README example", () => {
  it("keys both turns of a conversation to one session that survives export/import", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const snapshot = trackSessions();
    log.mockRestore();
    expect(snapshot.size).toBe(1);
    expect(snapshot.sessions[0]).toMatchObject({
      requests: 2,
      inputTokens: 240,
      outputTokens: 80,
      lastTarget: "eu-1",
    });
  });

  it("is the code the README shows", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const example = await readFile(
      new URL("../examples/track-sessions.ts", import.meta.url),
      "utf8",
    );
    expect(readme).toContain(example.trim());
  });
});
