import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendsReasoningEffort } from "../src/backends/openai/messages.js";
import { type RunningServer, startServer } from "../src/server/index.js";
import { testConfig } from "./helpers/config.js";
import { openAIMockHandler } from "./helpers/mock-behaviors.js";
import { type MockUpstream, startMockUpstream } from "./helpers/mock-upstream.js";

let mock: MockUpstream;
let server: RunningServer;
beforeAll(async () => {
  mock = await startMockUpstream(openAIMockHandler);
  server = await startServer({
    config: testConfig({
      backends: {
        plain: { type: "openai", baseUrl: `${mock.url}/v1`, apiKey: "k" },
        tuned: {
          type: "openai",
          baseUrl: `${mock.url}/v1`,
          apiKey: "k",
          maxTokensField: "max_completion_tokens",
          reasoningEffort: "send",
        },
        never: { type: "openai", baseUrl: `${mock.url}/v1`, apiKey: "k", reasoningEffort: "drop" },
      },
    }),
    version: "t",
  });
});
afterAll(async () => {
  await server.close(100);
  await mock.close();
});

/** What the upstream received for an Anthropic request the way Claude Code sends it. */
async function upstreamBodyFor(model: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body: JSON.stringify({
      model,
      max_tokens: 1000,
      thinking: { type: "adaptive" },
      output_config: { effort: "high" },
      messages: [{ role: "user", content: "hi" }],
    }),
  });
  expect(res.status).toBe(200);
  return mock.requests.at(-1)?.body as Record<string, unknown>;
}

describe("Anthropic client → OpenAI-compatible upstream: max tokens and reasoning effort", () => {
  it("sends reasoning_effort only to reasoning models by default, and max_tokens off OpenAI", async () => {
    const plain = await upstreamBodyFor("plain:gpt-4.1");
    expect(plain).toMatchObject({ model: "gpt-4.1", max_tokens: 1000 });
    expect(plain).not.toHaveProperty("reasoning_effort");
    expect(plain).not.toHaveProperty("max_completion_tokens");
    for (const model of ["o3-mini", "gpt-5-mini", "openai/gpt-oss-120b"]) {
      expect(await upstreamBodyFor(`plain:${model}`), model).toMatchObject({
        reasoning_effort: "high",
      });
    }
  });

  it("follows the backend's maxTokensField and reasoningEffort", async () => {
    const tuned = await upstreamBodyFor("tuned:llama-3.3-70b");
    expect(tuned).toMatchObject({ max_completion_tokens: 1000, reasoning_effort: "high" });
    expect(tuned).not.toHaveProperty("max_tokens");
    expect(await upstreamBodyFor("never:o3")).not.toHaveProperty("reasoning_effort");
  });

  it("matches reasoning models by name, with or without a vendor prefix", () => {
    expect(sendsReasoningEffort(undefined, "o1")).toBe(true);
    expect(sendsReasoningEffort("auto", "openai/o3-mini")).toBe(true);
    expect(sendsReasoningEffort("auto", "gpt-4o")).toBe(false);
    expect(sendsReasoningEffort("auto", "olmo-7b")).toBe(false);
    expect(sendsReasoningEffort("send", "gpt-4o")).toBe(true);
    expect(sendsReasoningEffort("drop", "o3")).toBe(false);
  });

  it("maps Qwen Code's thinking budget to reasoning_effort for a Qwen3 model", async () => {
    const res = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model: "plain:qwen3-coder-plus",
        max_tokens: 40000,
        thinking: { type: "enabled", budget_tokens: 32000 },
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(res.status).toBe(200);
    expect(mock.requests.at(-1)?.body).toMatchObject({
      model: "qwen3-coder-plus",
      reasoning_effort: "high",
    });
  });

  it("sends thinking budgets to the other reasoning families (Qwen Code → Qwen3, …)", () => {
    for (const model of [
      "qwen/qwen3-235b-a22b",
      "qwen3-coder-plus",
      "deepseek-reasoner",
      "deepseek/deepseek-r1",
      "x-ai/grok-4",
      "google/gemini-2.5-pro",
      "z-ai/glm-4.6",
      "moonshotai/kimi-k2-thinking",
      "anthropic/claude-sonnet-4.5",
    ]) {
      expect(sendsReasoningEffort("auto", model), model).toBe(true);
    }
    for (const model of [
      "llama-3.3-70b-versatile",
      "qwen2.5-coder",
      "deepseek-chat",
      "gemini-2.0-flash",
      "glm-4-9b",
    ]) {
      expect(sendsReasoningEffort("auto", model), model).toBe(false);
    }
  });
});
