import type { AnthropicRedactedThinkingBlock, AnthropicThinkingBlock } from "../types/anthropic.js";
import type { ResponsesReasoningItem } from "../types/responses.js";

/** Anthropic thinking blocks carried back to Anthropic, in order. */
export type AnthropicThinkingBlocks = Array<
  AnthropicThinkingBlock | AnthropicRedactedThinkingBlock
>;

/**
 * Prefixes of the `encrypted_content` of a reasoning item that stands for an Anthropic
 * thinking block: the signature (or the redacted data) follows. Content OpenAI encrypted
 * has neither, so it is never sent to Anthropic as a signature.
 */
const SIGNED = "anthropic.thinking.";
const REDACTED = "anthropic.redacted_thinking.";

/** The `encrypted_content` that carries a signed thinking block's signature. */
export function encryptedThinking(signature: string): string {
  return `${SIGNED}${signature}`;
}

/** The `encrypted_content` that carries a redacted thinking block's data. */
export function encryptedRedactedThinking(data: string): string {
  return `${REDACTED}${data}`;
}

/**
 * The Anthropic thinking block a reasoning item stands for: its summary text (one part, as
 * switchyard writes it) with the signature from `encrypted_content`, or a redacted block;
 * undefined for reasoning switchyard did not get from Anthropic (Anthropic would refuse it).
 */
export function thinkingBlocksOf(
  item: ResponsesReasoningItem,
): AnthropicThinkingBlocks | undefined {
  const content = item.encrypted_content;
  if (typeof content !== "string") return undefined;
  if (content.startsWith(REDACTED))
    return [{ type: "redacted_thinking", data: content.slice(REDACTED.length) }];
  if (!content.startsWith(SIGNED)) return undefined;
  let thinking = "";
  for (const part of Array.isArray(item.summary) ? item.summary : []) {
    if (typeof part?.text === "string") thinking += part.text;
  }
  return [{ type: "thinking", thinking, signature: content.slice(SIGNED.length) }];
}

/** Whether a request's `include` asks for reasoning's encrypted content. */
export function includesEncryptedReasoning(include: unknown): boolean {
  return Array.isArray(include) && include.includes("reasoning.encrypted_content");
}
