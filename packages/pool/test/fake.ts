import { vi } from "vitest";

/** A Fetch-like response whose body records whether it was cancelled. */
export function fakeResponse(status: number, headers: Record<string, string> = {}) {
  const cancel = vi.fn(async () => {});
  return { status, headers: new Headers(headers), body: { cancel }, cancel };
}

/** A fake clock whose `sleep` advances time instead of waiting. */
export function fakeClock(start = 1_000_000) {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}
