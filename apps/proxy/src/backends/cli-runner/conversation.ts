import type { AnthropicMessagesRequest } from "@switchyard/openai-compat";
import { type FingerprintMessage, fingerprintConversation } from "../claude-code/session-store.js";
import { CliBackendError } from "./cli-error.js";

/** A content block of a Messages request, loosely typed. */
export type Block = Record<string, unknown> & { type?: unknown };

/** A message's content as blocks (a string is one text block). */
export function blocksOf(content: unknown): Block[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return Array.isArray(content) ? (content as Block[]) : [];
}

/** The text blocks of a message's content, joined by newlines. */
export function textOf(content: unknown): string {
  return blocksOf(content)
    .map((b) => (b.type === "text" && typeof b.text === "string" ? b.text : ""))
    .join("\n");
}

/** The system prompt: top-level `system` plus any `system` turns. */
export function systemText(request: AnthropicMessagesRequest): string {
  const parts: string[] = [];
  if (typeof request.system === "string") parts.push(request.system);
  else if (Array.isArray(request.system)) parts.push(textOf(request.system));
  for (const m of request.messages) if (m.role === "system") parts.push(textOf(m.content));
  return parts.filter((p) => p.trim().length > 0).join("\n\n");
}

/** A request's conversation as a CLI run needs it. */
export interface SplitConversation {
  /** User and assistant turns, the new user turn last. */
  conversation: FingerprintMessage[];
  /** The new user turn. */
  last: FingerprintMessage;
  /** Everything before it. */
  history: FingerprintMessage[];
  system: string;
  /** The CLI session that holds `history`, when the conversation was seen before. */
  resumeSessionId?: string;
}

/**
 * Splits a request into history and the new user turn, and finds the CLI session that
 * continues the history. Throws `invalid_request` when the last turn is not the user's
 * (a CLI cannot continue an assistant prefill).
 */
export function splitConversation(
  request: AnthropicMessagesRequest,
  options: { backend: string; lookup?: (fingerprint: string) => string | undefined },
): SplitConversation {
  const conversation: FingerprintMessage[] = request.messages.filter(
    (m) => m.role === "user" || m.role === "assistant",
  );
  const last = conversation.at(-1);
  if (last === undefined || last.role !== "user") {
    throw new CliBackendError(
      "invalid_request",
      `the ${options.backend} backend needs the conversation to end with a user message (assistant prefill is not supported)`,
    );
  }
  const system = systemText(request);
  const history = conversation.slice(0, -1);
  const resumeSessionId =
    history.length > 0 ? options.lookup?.(fingerprintConversation(system, history)) : undefined;
  return {
    conversation,
    last,
    history,
    system,
    ...(resumeSessionId === undefined ? {} : { resumeSessionId }),
  };
}
