import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { type GuardRig, getJson, REQUEST_COST, startGuardRig } from "./helpers/guard-upstreams.js";
import { usageRecordsOnFile } from "./helpers/usage-records.js";

let rig: GuardRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const chat = (url: string, model = "gpt-test") =>
  new OpenAI({ baseURL: `${url}/v1`, apiKey: "x", maxRetries: 0 }).chat.completions.create({
    model,
    messages: [{ role: "user", content: "hi" }],
  });

describe("guard disabled", () => {
  it("never refuses, still logs usage, and says so on /guard, /status and /admin/resume", async () => {
    rig = await startGuardRig({
      budgets: [{ name: "ignored", limitUsd: 0.001, period: "day" }],
      overageGuard: { enabled: false, behavior: "halt", cooldownMs: 0, notifyOs: false },
    });
    for (let i = 0; i < 3; i++) await chat(rig.server.url);
    rig.state.mode = "payment-required";
    await chat(rig.server.url).catch(() => {});
    rig.state.mode = "ok";
    await chat(rig.server.url);

    const { records } = await usageRecordsOnFile(rig.home, 5);
    expect(records.map((r) => r.status)).toEqual([200, 200, 200, 402, 200]);
    expect(records[0]?.costUsd).toBeCloseTo(REQUEST_COST, 9);
    expect(await getJson(`${rig.server.url}/guard`)).toEqual({
      enabled: false,
      behavior: "halt",
      state: "ok",
      halts: [],
      budgets: [],
    });
    expect((await getJson(`${rig.server.url}/status`)).guard).toMatchObject({
      enabled: false,
      state: "ok",
    });
    const resume = await fetch(`${rig.server.url}/admin/resume`, { method: "POST" });
    expect(await resume.json()).toMatchObject({ resumed: false, halts: [], state: "ok" });
  });
});

describe("count_tokens and /v1/responses/input_tokens", () => {
  it("costs nothing and is never refused", async () => {
    rig = await startGuardRig({ budgets: [{ name: "b", limitUsd: 0.001, period: "day" }] });
    await chat(rig.server.url, "claude-test"); // $0.002 > $0.001: halted
    expect((await getJson(`${rig.server.url}/guard`)).state).toBe("halted");
    const res = await fetch(`${rig.server.url}/v1/messages/count_tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "gpt-test", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    // OpenAI's count for a Responses body is a token count too.
    const client = new OpenAI({ baseURL: `${rig.server.url}/v1`, apiKey: "x", maxRetries: 0 });
    const count = await client.responses.inputTokens.count({ model: "gpt-test", input: "hi" });
    expect(count.object).toBe("response.input_tokens");
    expect(count.input_tokens).toBeGreaterThan(0);
    const { records } = await usageRecordsOnFile(rig.home, 1);
    expect(records).toHaveLength(1);
    // The records' write window is 100 ms: a record of either count would be on file by now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await usageRecordsOnFile(rig.home, 1)).records).toHaveLength(1);
  });
});

describe("GET /doctor", () => {
  it("returns the doctor report and its text, without secrets", async () => {
    rig = await startGuardRig();
    const res = await fetch(`${rig.server.url}/doctor`);
    expect(res.status).toBe(200);
    const raw = await res.text();
    expect(raw).not.toContain("sk-test-oa");
    expect(raw).not.toContain("sk-test-an");
    const body = JSON.parse(raw) as {
      report: { checks: Array<{ id: string; status: string }> };
      text: string;
    };
    const ids = body.report.checks.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(["runtime", "config", "backend:oa", "backend:an"]));
    expect(ids).not.toContain("port");
    expect(body.text).toContain("backend:oa");
  });
});

describe("GET /events and shutdown", () => {
  it("an open event stream does not hold up server.close()", async () => {
    rig = await startGuardRig();
    const res = await fetch(`${rig.server.url}/events`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(": switchyard events\n\n");
    const started = performance.now();
    await rig.server.close(10_000);
    expect(performance.now() - started).toBeLessThan(2000);
    expect((await reader.read()).done).toBe(true);
  });
});
