import type { AnthropicStreamEvent } from "../types/anthropic.js";
import type { ResponsesStreamEvent } from "../types/responses.js";
import {
  createOpenAIToAnthropicStreamTranslator,
  type OpenAIToAnthropicStreamOptions,
} from "./openai-to-anthropic.js";
import { createResponsesToOpenAIStreamTranslator } from "./responses-to-openai.js";

/** A stateful Responses → Anthropic Messages stream translator: one event in, events out. */
export interface ResponsesToAnthropicStreamTranslator {
  push(event: ResponsesStreamEvent): AnthropicStreamEvent[];
  finish(): AnthropicStreamEvent[];
  error(err: unknown): AnthropicStreamEvent[];
  readonly done: boolean;
}

/**
 * Creates a Responses → Anthropic Messages stream translator (Claude Code reaching a model
 * that only answers on `/v1/responses`): events go through the Responses → Chat Completions
 * translator and its chunks through the Chat Completions → Anthropic one.
 *
 * @example
 * const translator = createResponsesToAnthropicStreamTranslator({ model: "gpt-5-codex" });
 */
export function createResponsesToAnthropicStreamTranslator(
  options: OpenAIToAnthropicStreamOptions = {},
): ResponsesToAnthropicStreamTranslator {
  const chat = createResponsesToOpenAIStreamTranslator({ includeUsage: true });
  const anthropic = createOpenAIToAnthropicStreamTranslator(options);
  const relay = (items: ReturnType<typeof chat.push>): AnthropicStreamEvent[] => {
    const out: AnthropicStreamEvent[] = [];
    for (const item of items) out.push(...anthropic.push(item));
    return out;
  };
  const self: {
    -readonly [K in keyof ResponsesToAnthropicStreamTranslator]: ResponsesToAnthropicStreamTranslator[K];
  } = {
    push(event) {
      if (self.done) return [];
      const out = relay(chat.push(event));
      self.done = anthropic.done;
      return out;
    },
    finish() {
      if (self.done) return [];
      const out = relay(chat.finish());
      self.done = true;
      return [...out, ...anthropic.finish()];
    },
    error(err) {
      if (self.done) return [];
      self.done = true;
      return anthropic.error(err);
    },
    done: false,
  };
  return self;
}
