import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./helpers/harness.js";
import { openAIMockHandler } from "./helpers/mock-behaviors.js";
import { sendJson } from "./helpers/mock-upstream.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ask = (harness: Harness) =>
  fetch(`${harness.server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-mock-1", messages: [{ role: "user", content: "hi" }] }),
  });

/** The upstream answers its first call with a 429 asking for `retryAfter` s, then normally. */
async function limitedOnce(retryAfter: string): Promise<Harness> {
  const harness = await startHarness();
  let calls = 0;
  harness.openai.handler = (request, res) => {
    calls += 1;
    if (calls > 1) return openAIMockHandler(request, res);
    // `remaining: 0` without a reset time: the pool used to assume a 60 s window from it.
    sendJson(
      res,
      429,
      { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
      {
        "retry-after": retryAfter,
        "x-ratelimit-limit-requests": "100",
        "x-ratelimit-remaining-requests": "0",
      },
    );
  };
  return harness;
}

describe("rate-limit honesty, single-target backend", () => {
  it("after one 429 with Retry-After: 1, the next request is served once that second passed", async () => {
    h = await limitedOnce("1");
    const first = await ask(h);
    expect([first.status, first.headers.get("retry-after")]).toEqual([429, "1"]);
    await first.text();
    const started = Date.now();
    const second = await ask(h);
    // Before the fix: a locally made 429 with `retry-after: 60`, the upstream never asked.
    expect(second.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(h.openai.requests).toHaveLength(2);
  });

  it("refuses locally no longer than the upstream asked, with the remaining time as Retry-After", async () => {
    h = await limitedOnce("30");
    await (await ask(h)).text();
    const second = await ask(h);
    expect(second.status).toBe(429);
    const retryAfter = Number(second.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(29);
    expect(retryAfter).toBeLessThanOrEqual(30);
    const body = (await second.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/retry in (29|30)s/);
    expect(h.openai.requests).toHaveLength(1);
  });
});
