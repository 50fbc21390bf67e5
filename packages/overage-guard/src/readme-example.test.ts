import { expect, it } from "vitest";
import {
  createHaltErrorBody,
  createOverageGuard,
  createPriceTable,
  HALT_HTTP_STATUS,
  matchUpstreamResponse,
} from "./index.js";

// The README example, run as written (with events collected instead of logged).
it("README example: two requests cross a $0.01 budget, the third gets a 503", async () => {
  const events: string[] = [];
  const prices = createPriceTable({ "gpt-4o*": { input: 2.5, output: 10, cacheRead: 1.25 } });
  const guard = createOverageGuard({
    budgets: [{ name: "daily", limitUsd: 0.01, period: "day" }],
    behavior: "halt",
    cooldownMs: 30 * 60_000,
    onEvent: (event) => events.push(event.type),
  });
  await guard.load();
  const callUpstream = async () => ({
    status: 200,
    headers: new Headers(),
    body: { usage: { prompt_tokens: 2000, completion_tokens: 400, cached_tokens: 500 } },
  });
  async function handle(model: string) {
    const decision = guard.reserve({ backend: "openai", model, estimatedCostUsd: 0.01 });
    if (!decision.allowed) {
      return { status: HALT_HTTP_STATUS, body: createHaltErrorBody(decision, "openai") };
    }
    try {
      const upstream = await callUpstream();
      const signal = matchUpstreamResponse(upstream);
      if (signal) guard.signal({ ...signal, backend: "openai" });
      if (upstream.status >= 400) return upstream;
      const { prompt_tokens, completion_tokens, cached_tokens } = upstream.body.usage;
      const cost = prices.cost(model, {
        inputTokens: prompt_tokens - cached_tokens,
        outputTokens: completion_tokens,
        cacheReadTokens: cached_tokens,
      });
      expect(cost).toBeCloseTo(0.008375, 10);
      decision.reservation.commit(cost ?? 0);
      return upstream;
    } finally {
      // A no-op after commit; on an error or a throw it frees the hold.
      decision.reservation.release();
    }
  }
  expect((await handle("gpt-4o")).status).toBe(200);
  expect((await handle("gpt-4o")).status).toBe(200);
  const third = await handle("gpt-4o");
  expect(third.status).toBe(503);
  expect(JSON.stringify(third.body)).toContain('daily budget \\"daily\\" exceeded');
  expect(events).toEqual(["spend", "spend", "halt"]);
});
