import type { OpenAIReasoningEffort } from "./types/openai.js";

/**
 * Thinking budgets (Anthropic `thinking.budget_tokens`) used for each OpenAI
 * `reasoning_effort`. `none` disables thinking.
 *
 * | reasoning_effort | budget_tokens |
 * |---|---|
 * | minimal | 1024 (Anthropic's minimum) |
 * | low | 2048 |
 * | medium | 8192 |
 * | high | 16384 |
 * | xhigh | 32768 |
 * | max | 65536 |
 */
export const DEFAULT_REASONING_BUDGETS: Readonly<Record<string, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
  max: 65536,
};

/** Anthropic rejects budgets below this. */
export const MIN_THINKING_BUDGET = 1024;

/**
 * The thinking budget for a `reasoning_effort`; `undefined` for `none` or an unknown value
 * (the caller decides whether that is an error).
 */
export function convertReasoningEffortToBudget(
  effort: OpenAIReasoningEffort,
  budgets: Readonly<Record<string, number>> = DEFAULT_REASONING_BUDGETS,
): number | undefined {
  return effort === "none" ? undefined : budgets[effort];
}

/**
 * The `reasoning_effort` for a thinking budget: below 4096 is `low`, below 12288 is
 * `medium`, anything larger is `high` (the three levels every reasoning server accepts).
 */
export function convertBudgetToReasoningEffort(budgetTokens: number): "low" | "medium" | "high" {
  if (budgetTokens < 4096) return "low";
  if (budgetTokens < 12288) return "medium";
  return "high";
}
