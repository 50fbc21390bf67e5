import { describe, expect, it } from "vitest";
import {
  convertAnthropicStopReasonToOpenAI,
  convertOpenAIFinishReasonToAnthropic,
} from "./stop-reason.js";

describe("convertAnthropicStopReasonToOpenAI", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
  ] as const)("%s -> %s", (from, to) => {
    expect(convertAnthropicStopReasonToOpenAI(from)).toBe(to);
  });

  it("keeps a missing reason missing and maps an unknown one to stop", () => {
    expect(convertAnthropicStopReasonToOpenAI(null)).toBeNull();
    expect(convertAnthropicStopReasonToOpenAI(undefined)).toBeNull();
    expect(convertAnthropicStopReasonToOpenAI("something_new")).toBe("stop");
  });
});

describe("convertOpenAIFinishReasonToAnthropic", () => {
  it.each([
    ["stop", "end_turn"],
    ["length", "max_tokens"],
    ["tool_calls", "tool_use"],
    ["function_call", "tool_use"],
    ["content_filter", "refusal"],
  ] as const)("%s -> %s", (from, to) => {
    expect(convertOpenAIFinishReasonToAnthropic(from)).toBe(to);
  });

  it("reports stop_sequence when the matched sequence is known", () => {
    expect(convertOpenAIFinishReasonToAnthropic("stop", { matchedStopSequence: "END" })).toBe(
      "stop_sequence",
    );
    expect(convertOpenAIFinishReasonToAnthropic("stop", { matchedStopSequence: null })).toBe(
      "end_turn",
    );
  });

  it("keeps a missing reason missing and maps an unknown one to end_turn", () => {
    expect(convertOpenAIFinishReasonToAnthropic(null)).toBeNull();
    expect(convertOpenAIFinishReasonToAnthropic("eos")).toBe("end_turn");
  });

  it("round-trips every OpenAI reason except the deprecated function_call", () => {
    for (const reason of ["stop", "length", "tool_calls", "content_filter"] as const) {
      expect(convertAnthropicStopReasonToOpenAI(convertOpenAIFinishReasonToAnthropic(reason))).toBe(
        reason,
      );
    }
  });
});
