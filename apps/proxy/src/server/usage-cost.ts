import { hash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import {
  type AnthropicMessagesRequest,
  estimateInputTokens,
  estimateOpenAIInputTokens,
  type OpenAIChatRequest,
} from "@switchyard/openai-compat";
import type { PriceTable } from "@switchyard/overage-guard";
import { deriveSessionKey } from "@switchyard/session";
import type { BackendRequest, UsageSummary } from "../backends/types.js";

/**
 * Output tokens assumed for the cost estimate when an OpenAI request sets no
 * `max_completion_tokens`/`max_tokens` (Anthropic requests always carry `max_tokens`).
 */
export const DEFAULT_ESTIMATE_OUTPUT_TOKENS = 4096;

const positive = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;

/**
 * The upper-bound cost (USD) the overage guard reserves before a request goes upstream:
 * estimated input tokens (openai-compat's local estimate, the same one `count_tokens` uses)
 * plus the request's own output bound (`max_tokens`), at the model's price. 0 when the model
 * has no price or the body cannot be estimated.
 */
export function estimateRequestCostUsd(
  request: Pick<BackendRequest, "dialect" | "body" | "model">,
  prices: PriceTable,
): number {
  if (prices.lookup(request.model) === undefined) return 0;
  const body = request.body;
  let inputTokens = 0;
  try {
    inputTokens =
      request.dialect === "anthropic"
        ? estimateInputTokens(body as unknown as AnthropicMessagesRequest).input_tokens
        : estimateOpenAIInputTokens(body as unknown as OpenAIChatRequest).input_tokens;
  } catch {
    // A body the estimator cannot read still goes to the upstream, which judges it.
  }
  const outputTokens =
    request.dialect === "anthropic"
      ? (positive(body.max_tokens) ?? DEFAULT_ESTIMATE_OUTPUT_TOKENS)
      : (positive(body.max_completion_tokens) ??
        positive(body.max_tokens) ??
        DEFAULT_ESTIMATE_OUTPUT_TOKENS);
  return prices.cost(request.model, { inputTokens, outputTokens }) ?? 0;
}

/** Cost (USD) of what the upstream reported, or null when the model has no price or no usage came back. */
export function usageCostUsd(
  model: string,
  usage: UsageSummary | undefined,
  prices: PriceTable,
): number | null {
  if (usage === undefined) return null;
  return (
    prices.cost(model, {
      inputTokens: usage.inputTokens ?? 0,
      outputTokens: usage.outputTokens ?? 0,
      cacheReadTokens: usage.cacheReadTokens ?? 0,
      cacheWriteTokens: usage.cacheWriteTokens ?? 0,
    }) ?? null
  );
}

const sha256 = (text: string) => hash("sha256", text, "hex");

/**
 * The raw session id of a request (`@switchyard/session`'s key: `x-session-id`, Claude Code's
 * session header, `metadata.user_id`/`user`, else a hash of system prompt + first user
 * message). The usage log stores only a sha256 prefix of it.
 */
export function requestSessionKey(
  request: Pick<BackendRequest, "dialect" | "body">,
  headers: IncomingHttpHeaders | Record<string, string>,
): string | undefined {
  try {
    const { dialect, body } = request;
    return deriveSessionKey({ dialect, headers, body }, { hash: sha256 })?.key;
  } catch {
    return undefined;
  }
}
