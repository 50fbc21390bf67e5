import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLI, cliEnv, ensureBuilt, runCli } from "./cli-helpers.js";
import { type GuardRig, getJson, REQUEST_COST, startGuardRig } from "./helpers/guard-upstreams.js";

// Three mock requests cost $0.006: the third crosses $0.005 and the fourth is refused.
const budgets = [{ name: "tiny-daily", limitUsd: 0.005, period: "day" as const }];

let rig: GuardRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});
beforeAll(async () => {
  await ensureBuilt();
  expect(CLI).toMatch(/cli\.js$/);
});

const openai = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: "x", maxRetries: 0 });
const anthropic = (url: string) => new Anthropic({ baseURL: url, apiKey: "x", maxRetries: 0 });
const chat = (client: OpenAI) =>
  client.chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "hi" }],
  });
const message = (client: Anthropic) =>
  client.messages.create({
    model: "claude-test",
    max_tokens: 100,
    messages: [{ role: "user", content: "hi" }],
  });

async function rejection(promise: Promise<unknown>): Promise<{ status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status?: number; message: string };
  }
  throw new Error("expected the request to fail");
}

describe("budget halts", () => {
  it("refuses the next OpenAI request with a 503 that names the budget; /guard and /status say halted", async () => {
    rig = await startGuardRig({ budgets });
    const client = openai(rig.server.url);
    for (let i = 0; i < 3; i++) expect((await chat(client)).choices[0]?.message.content).toBe("hi");
    const error = await rejection(chat(client));
    expect(error.status).toBe(503);
    expect(error.message).toContain('"tiny-daily"');
    expect(error.message).toContain("switchyard resume");
    expect(rig.openai.requests).toHaveLength(3);

    const guard = await getJson(`${rig.server.url}/guard`);
    expect(guard).toMatchObject({ enabled: true, behavior: "halt", state: "halted" });
    expect(guard.reason).toContain("tiny-daily");
    expect(guard.budgets).toEqual([
      expect.objectContaining({ name: "tiny-daily", period: "day", limitUsd: 0.005 }),
    ]);
    const spent = (guard.budgets as Array<{ spentUsd: number }>)[0]?.spentUsd ?? 0;
    expect(spent).toBeCloseTo(3 * REQUEST_COST, 9);
    const status = await getJson(`${rig.server.url}/status`);
    expect(status.guard).toMatchObject({ enabled: true, state: "halted", halts: 1 });

    const requests = (
      (await getJson(`${rig.server.url}/requests`)).requests as Array<{
        path: string;
        status: number;
        costUsd?: number | null;
        error?: string;
      }>
    ).filter((r) => r.path === "/v1/chat/completions");
    expect(requests.map((r) => r.status)).toEqual([200, 200, 200, 503]);
    expect(requests[0]?.costUsd).toBeCloseTo(REQUEST_COST, 9);
    expect(requests[3]).toMatchObject({ costUsd: 0, error: "overage_guard_halted" });
  });

  it("refuses the next Anthropic request with a 503 Anthropic error that names the budget", async () => {
    rig = await startGuardRig({ budgets });
    const client = anthropic(rig.server.url);
    for (let i = 0; i < 3; i++)
      expect((await message(client)).content[0]).toMatchObject({ text: "hi" });
    const error = (await rejection(message(client))) as {
      status?: number;
      message: string;
      error?: { type?: string; error?: { type?: string } };
    };
    expect(error.status).toBe(503);
    expect(error.message).toContain("tiny-daily");
    expect(error.error).toMatchObject({
      type: "error",
      error: {
        type: "api_error",
        message: expect.stringContaining('budget "tiny-daily" exceeded'),
      },
    });
    expect(rig.anthropic.requests).toHaveLength(3);
  });

  it("`switchyard resume` lifts the halt and requests flow again", async () => {
    rig = await startGuardRig({ budgets });
    const client = openai(rig.server.url);
    for (let i = 0; i < 3; i++) await chat(client);
    expect((await rejection(chat(client))).status).toBe(503);

    const run = await runCli(["resume"], {
      env: cliEnv(rig.home, { SWITCHYARD_PORT: String(rig.server.port) }),
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `resumed switchyard proxy on 127.0.0.1:${rig.server.port} (1 halt lifted)\n`,
    );
    expect((await chat(client)).choices[0]?.message.content).toBe("hi");
    expect((await getJson(`${rig.server.url}/guard`)).state).toBe("ok");

    const again = await runCli(["resume"], {
      env: cliEnv(rig.home, { SWITCHYARD_PORT: String(rig.server.port) }),
    });
    expect(again.stdout).toContain("was not halted; nothing to resume");
  });

  it("a halt survives a restart on the same home", async () => {
    rig = await startGuardRig({ budgets });
    const client = openai(rig.server.url);
    for (let i = 0; i < 3; i++) await chat(client);
    await rig.server.close(100);
    const server = await rig.restart();
    const error = await rejection(chat(openai(server.url)));
    expect(error.status).toBe(503);
    expect(error.message).toContain('"tiny-daily"');
    expect(rig.openai.requests).toHaveLength(3);

    const resumed = await fetch(`${server.url}/admin/resume`, { method: "POST" });
    const body = (await resumed.json()) as { resumed: boolean; halts: unknown[]; state: string };
    expect(body).toMatchObject({ resumed: true, state: "ok" });
    expect(body.halts).toHaveLength(1);
  });

  it("admin endpoints need the client key when one is configured", async () => {
    rig = await startGuardRig({ budgets, apiKey: "sk-local-client" });
    for (const [method, path] of [
      ["GET", "/guard"],
      ["GET", "/analytics"],
      ["POST", "/admin/resume"],
      ["GET", "/events"],
    ] as const) {
      const res = await fetch(`${rig.server.url}${path}`, { method });
      expect(res.status).toBe(401);
      await res.body?.cancel();
    }
    const ok = await fetch(`${rig.server.url}/guard`, {
      headers: { "x-api-key": "sk-local-client" },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { state: string }).state).toBe("ok");
  });
});
