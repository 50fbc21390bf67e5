/**
 * Local backends cost nothing unless the config prices them: echo answering Claude Code's
 * default model was once charged as `claude-opus-4-8`. An anthropic-type upstream stays billed
 * at the shipped price.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { type GuardRig, getJson, REQUEST_COST, startGuardRig } from "./helpers/guard-upstreams.js";

let rig: GuardRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const openai = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: "x", maxRetries: 0 });
const anthropic = (url: string) => new Anthropic({ baseURL: url, apiKey: "x", maxRetries: 0 });

async function costs(url: string): Promise<Array<{ model: string; costUsd?: number | null }>> {
  const { requests } = (await getJson(`${url}/requests`)) as {
    requests: Array<{ path: string; model: string; costUsd?: number | null }>;
  };
  return requests.filter((r) => r.path.startsWith("/v1/"));
}

describe("cost of local backends", () => {
  it("echo and an openai server on loopback cost $0 with no configured price", async () => {
    rig = await startGuardRig({ prices: {}, budgets: [{ limitUsd: 100, period: "day" }] });
    const url = rig.server.url;
    await anthropic(url).messages.create({
      model: "echo:claude-opus-4-8",
      max_tokens: 64,
      messages: [{ role: "user", content: "hi" }],
    });
    await openai(url).chat.completions.create({
      model: "oa:gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    await anthropic(url).messages.create({
      model: "an:claude-sonnet-4-5",
      max_tokens: 64,
      messages: [{ role: "user", content: "hi" }],
    });
    const [echo, local, remote] = await costs(url);
    expect(echo).toMatchObject({ costUsd: 0 });
    expect(local).toMatchObject({ costUsd: 0 });
    // the anthropic-type backend is billed at the shipped price for its model
    expect(remote?.costUsd).toBeGreaterThan(0);
    const guard = await getJson(`${url}/guard`);
    const spent = (guard.budgets as Array<{ spentUsd: number }>)[0]?.spentUsd;
    expect(spent).toBeCloseTo(remote?.costUsd ?? Number.NaN, 9);
  });

  it("a price in the config applies to a local backend", async () => {
    rig = await startGuardRig({ prices: { "gpt-4o": { input: 1, output: 2 } } });
    await openai(rig.server.url).chat.completions.create({
      model: "oa:gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    const [local] = await costs(rig.server.url);
    expect(local?.costUsd).toBeCloseTo(REQUEST_COST, 9);
  });
});
