import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCliLine } from "../cli-runner/cli-lines.js";
import { codexBillingSignal, matchCodexQuotaText, parseCodexResetTime } from "./quota-matcher.js";

const recorded = readFileSync(join(import.meta.dirname, "__fixtures__/usage-limit.jsonl"), "utf8")
  .split("\n")
  .map(parseCliLine)
  .filter((e) => e !== undefined);

/** Noon, local time, on a fixed day. */
const noon = new Date(2026, 11, 6, 12, 0).getTime();

describe("matchCodexQuotaText", () => {
  it("recognises the usage-limit text the CLI printed live (turn.failed of a 429 usage_limit_reached)", () => {
    const failed = recorded.find((e) => e.type === "turn.failed");
    const text = String((failed?.error as { message?: string } | undefined)?.message);
    const signal = matchCodexQuotaText(text, noon);
    expect(signal).toMatchObject({ kind: "exhausted", source: "message" });
    // "try again at 12:51 PM" is the CLI's local time, today.
    expect(signal?.resetsAt).toBe(new Date(2026, 11, 6, 12, 51).toISOString());
    expect(codexBillingSignal(text)).toBe("usage-limit");
  });

  // From the CLI's source (codex-rs/core/src/error.rs), not recorded live.
  it.each([
    "You've hit your usage limit. To get more access now, send a request to your admin or try again at Dec 8th, 2026 9:05 AM.",
    "You've hit your usage limit. Upgrade to Plus to continue using Codex (https://openai.com/chatgpt/pricing).",
    "You've hit your usage limit. Try again later.",
    "To use Codex with your ChatGPT plan, upgrade to Plus: https://openai.com/chatgpt/pricing.",
    "Quota exceeded. Check your plan and billing details.",
  ])("recognises the CLI's plan text %#", (text) => {
    expect(matchCodexQuotaText(text, noon)?.kind).toBe("exhausted");
  });

  it("reads a dated reset time and rolls a bare time already past to tomorrow", () => {
    expect(parseCodexResetTime("try again at Dec 8th, 2026 9:05 AM.", noon)).toBe(
      new Date(2026, 11, 8, 9, 5).toISOString(),
    );
    expect(parseCodexResetTime("or try again at 9:05 AM.", noon)).toBe(
      new Date(2026, 11, 7, 9, 5).toISOString(),
    );
    expect(parseCodexResetTime("Try again later.", noon)).toBeUndefined();
  });

  it("tells quota exhaustion from a transient 429 and from ordinary text", () => {
    expect(codexBillingSignal("Quota exceeded. Check your plan and billing details.")).toBe(
      "insufficient-quota",
    );
    expect(
      matchCodexQuotaText("exceeded retry limit, last status: 429 Too Many Requests")?.kind,
    ).toBe("rate-limited");
    expect(matchCodexQuotaText("What is a usage limit?")).toBeUndefined();
  });
});
