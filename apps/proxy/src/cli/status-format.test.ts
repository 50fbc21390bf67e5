import { describe, expect, it } from "vitest";
import { formatDuration, formatStatus } from "./status-format.js";

describe("formatStatus", () => {
  it("summarises backends, guard, sessions and pool targets", () => {
    const text = formatStatus(
      {
        version: "1.0.0",
        uptimeMs: 3_725_000,
        url: "http://127.0.0.1:3456",
        backends: {
          echo: { type: "echo" },
          groq: { type: "openai", baseUrl: "https://api.groq.com/openai/v1", hasKey: true },
        },
        routes: [{ match: "llama-*", backend: "groq" }],
        defaultBackend: "groq",
        requests: { total: 5, byBackend: { groq: { "200": 3, "429": 1 }, echo: { "200": 1 } } },
        inFlight: 2,
        sessions: { active: 1, seen: 4 },
        guard: {
          enabled: true,
          behavior: "halt",
          state: "halted",
          halts: 1,
          budgets: 1,
          reason: "daily budget $5 reached",
          since: "2026-01-01T00:00:00Z",
        },
        pool: {
          groq: {
            targets: [
              {
                id: "groq#0",
                available: true,
                headroom: 0.5,
                breaker: "closed",
                inFlight: 1,
                requests: 3,
                rateLimited: 1,
                errors: 2,
                failures: 0,
              },
              {
                id: "groq#1",
                available: false,
                cooldownUntil: "2026-01-01T00:01:00Z",
                breaker: "open",
                requests: 2,
              },
            ],
          },
        },
        extra: { a: 1 },
      },
      "http://127.0.0.1:3456",
    );
    expect(text).toContain("switchyard 1.0.0 at http://127.0.0.1:3456, up 1h 2m");
    expect(text).toMatch(/groq\s+openai\s+https:\/\/api\.groq\.com\/openai\/v1\s+yes\s+4\s+1/);
    expect(text).toContain("routes:    llama-* → groq");
    expect(text).toContain("requests:  5 total, 2 in flight");
    expect(text).toContain("sessions:  1 active, 4 seen");
    expect(text).toContain(
      "guard:     HALTED since 2026-01-01T00:00:00Z: daily budget $5 reached (`switchyard resume` lifts it)",
    );
    expect(text).toMatch(/POOL\s+TARGET\s+STATE.*429S\s+ERRORS\s+FAILOVERS/);
    expect(text).toMatch(/groq\s+groq#0\s+ok\s+closed\s+0\.5\s+1\s+3\s+1\s+2\s+0/);
    expect(text).toMatch(/groq\s+groq#1\s+cooling until 2026-01-01T00:01:00Z\s+open/);
    expect(text).toContain('extra:     {"a":1}');
  });

  it("shows a healthy guard briefly and a disabled one as off", () => {
    expect(
      formatStatus({ guard: { enabled: true, behavior: "warn", state: "ok", budgets: 2 } }, "u"),
    ).toContain("guard:     ok (warn mode, 2 budgets)");
    expect(formatStatus({ guard: { enabled: false } }, "u")).toContain("guard:     off");
  });

  it("shows the last reload's time and result, a failed one loudly", () => {
    const reload = {
      watching: true,
      configPath: "/h/config.json",
      last: {
        ok: false,
        at: "2026-01-01T00:00:00.000Z",
        trigger: "watch",
        message: "/h/config.json: not valid JSON (line 1, column 5)",
      },
    };
    expect(formatStatus({ reload }, "u")).toContain(
      "config:    /h/config.json (watched); a reload FAILED (still serving the previous config) at 2026-01-01T00:00:00.000Z (watch): /h/config.json: not valid JSON (line 1, column 5)",
    );
    expect(formatStatus({ reload: { ...reload, last: null } }, "u")).toContain(
      "not reloaded since start",
    );
  });

  it("formats durations", () => {
    expect(
      [42_000, 185_000, 7_800_000, 3 * 86_400_000 + 4 * 3_600_000].map(formatDuration),
    ).toEqual(["42s", "3m 5s", "2h 10m", "3d 4h"]);
  });
});
