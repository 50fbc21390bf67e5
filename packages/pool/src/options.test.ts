import { describe, expect, it } from "vitest";
import { isRetryableStatusDefault, resolvePoolConfig, sleepDefault } from "./options.js";
import { PoolError } from "./pool-error.js";

describe("resolvePoolConfig", () => {
  it("applies defaults", () => {
    const config = resolvePoolConfig({ targets: [{ id: "a" }] });
    expect(config).toMatchObject({
      maxAttempts: 3,
      headroomFloor: 0.1,
      cooldownDefaultMs: 2_000,
      failureThreshold: 5,
      openMs: 30_000,
      queueMaxSize: 100,
      queueMaxWaitMs: 10_000,
      random: undefined,
    });
    expect(config.parsers.map((p) => p.name)).toEqual(["openai", "anthropic", "retry-after"]);
  });

  it.each([
    [{ targets: [] }, /non-empty/],
    [{ targets: [{ id: "" }] }, /targets\[0\]\.id/],
    [{ targets: [{ id: "a" }, { id: "a" }] }, /not unique/],
    [{ targets: [{ id: "a", weight: 0 }] }, /weight/],
    [{ targets: [{ id: "a", limits: { requestsPerMinute: -1 } }] }, /limits\.requestsPerMinute/],
    [{ targets: [{ id: "a" }], maxAttempts: 0 }, /maxAttempts/],
    [{ targets: [{ id: "a" }], headroomFloor: 2 }, /headroomFloor/],
    [{ targets: [{ id: "a" }], cooldownDefaultMs: -1 }, /cooldownDefaultMs/],
    [{ targets: [{ id: "a" }], breaker: { failureThreshold: 1.5 } }, /failureThreshold/],
    [{ targets: [{ id: "a" }], queue: { maxWaitMs: Number.POSITIVE_INFINITY } }, /maxWaitMs/],
  ])("rejects %j", (options, message) => {
    try {
      resolvePoolConfig(options as never);
      expect.unreachable();
    } catch (error) {
      expect(PoolError.isInstance(error)).toBe(true);
      expect((error as PoolError).code).toBe("invalid-option");
      expect((error as PoolError).message).toMatch(message);
      expect((error as PoolError).isRetryable).toBe(false);
    }
  });
});

describe("defaults", () => {
  it("retries 429 and every 5xx, nothing else", () => {
    expect([429, 500, 503, 529, 599].every(isRetryableStatusDefault)).toBe(true);
    expect([200, 400, 401, 404, 413, 600].some(isRetryableStatusDefault)).toBe(false);
  });

  it("sleepDefault resolves after the delay or at once on abort", async () => {
    const started = Date.now();
    await sleepDefault(20, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    const controller = new AbortController();
    const pending = sleepDefault(60_000, controller.signal);
    controller.abort();
    await pending;
    const aborted = new AbortController();
    aborted.abort();
    await sleepDefault(60_000, aborted.signal);
  });
});
