/**
 * A halted guard is not something a client's automatic retries can fix: the official SDK
 * (which retried the 503 twice, waiting out its retry-after, 30 s in all) and the real Claude
 * Code CLI stop at once and show the halt with its resume hint. Claude Code already gave up on
 * the bare 503; its test keeps it that way. A denial that lifts within a minute stays
 * retryable.
 */
import { existsSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { haltHeaders } from "../src/server/guard-gate.js";
import { CLAUDE_BIN, runClaude } from "./helpers/claude-cli.js";
import { type GuardRig, getJson, startGuardRig } from "./helpers/guard-upstreams.js";
import { usageRecordsOnFile } from "./helpers/usage-records.js";

let rig: GuardRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A rig halted by one request: $0.002 spent against a $0.001 daily budget. */
async function haltedRig(): Promise<GuardRig> {
  const started = await startGuardRig({
    budgets: [{ name: "tiny", limitUsd: 0.001, period: "day" }],
  });
  const client = new Anthropic({ baseURL: started.server.url, apiKey: "x", maxRetries: 0 });
  await client.messages.create({
    model: "claude-test",
    max_tokens: 5,
    messages: [{ role: "user", content: "hi" }],
  });
  expect((await getJson(`${started.server.url}/guard`)).state).toBe("halted");
  return started;
}

describe("a halted guard", () => {
  it("is tried once by the Anthropic SDK (default retries), with the resume hint", async () => {
    rig = await haltedRig();
    const client = new Anthropic({ baseURL: rig.server.url, apiKey: "x", maxRetries: 2 });
    const error = await client.messages
      .create({ model: "claude-test", max_tokens: 5, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
    expect((error as Error).message).toContain("overage guard halted");
    expect((error as Error).message).toContain("To resume");
    const { records } = await usageRecordsOnFile(rig.home, 2);
    await new Promise((r) => setTimeout(r, 300)); // a retry would have been logged by now
    const after = await usageRecordsOnFile(rig.home, 3);
    expect(records.map((r) => r.status)).toEqual([200, 503]);
    expect(after.records).toHaveLength(2);
  });

  it.skipIf(!existsSync(CLAUDE_BIN))(
    "stops the real Claude Code CLI within 5 s, no api_retry, the halt shown",
    async () => {
      rig = await haltedRig();
      const run = await runClaude(rig.server.url, ["hi"], { timeoutMs: 30_000 });
      const retries = run.lines.filter((l) => (l as { subtype?: string }).subtype === "api_retry");
      expect(retries).toEqual([]);
      const result = run.lines.find((l) => (l as { type?: string }).type === "result") as
        | Record<string, unknown>
        | undefined;
      expect(result?.is_error).toBe(true);
      expect(String(result?.result)).toContain("overage guard halted");
      expect(result?.duration_ms as number).toBeLessThan(5000);
    },
    60_000,
  );

  it("says x-should-retry: false unless it lifts within a minute; in-flight denials retry", () => {
    expect(haltHeaders("halted", undefined)).toEqual({ "x-should-retry": "false" });
    expect(haltHeaders("halted", 3600)).toEqual({
      "retry-after": "3600",
      "x-should-retry": "false",
    });
    expect(haltHeaders("halted", 30)).toEqual({ "retry-after": "30" });
    expect(haltHeaders("budget_in_flight", undefined)).toEqual({});
  });
});
