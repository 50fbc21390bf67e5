import type { AnthropicStreamEvent } from "../types/anthropic.js";
import type { ResponsesStreamEvent } from "../types/responses.js";
import { createAnthropicToOpenAIStreamTranslator } from "./anthropic-to-openai.js";
import {
  createOpenAIToResponsesStreamTranslator,
  type ToResponsesStreamOptions,
  type ToResponsesStreamTranslator,
} from "./openai-to-responses.js";

/**
 * Creates an Anthropic Messages → Responses stream translator: the Anthropic events go
 * through the Chat Completions translator and its chunks through the Responses one, so both
 * paths share one set of rules (thinking becomes a reasoning summary, each `tool_use` a
 * `function_call` whose `call_id` is the `tool_use` id, `max_tokens` ends in
 * `response.incomplete`, an `error` event or a stream cut short in `response.failed`).
 *
 * @example
 * const translator = createAnthropicToResponsesStreamTranslator({ request });
 * for (const event of anthropicEvents) {
 *   for (const out of translator.push(event)) res.write(serializeResponsesStreamEvent(out));
 * }
 * for (const out of translator.finish()) res.write(serializeResponsesStreamEvent(out));
 */
export function createAnthropicToResponsesStreamTranslator(
  options: ToResponsesStreamOptions = {},
): ToResponsesStreamTranslator<AnthropicStreamEvent> {
  const chat = createAnthropicToOpenAIStreamTranslator({ includeUsage: true });
  const responses = createOpenAIToResponsesStreamTranslator(options);
  const relay = (items: ReturnType<typeof chat.push>): ResponsesStreamEvent[] => {
    if (items.length === 0) return [];
    if (items.length === 1) return responses.push(items[0]!);
    const out: ResponsesStreamEvent[] = [];
    for (const item of items) out.push(...responses.push(item));
    return out;
  };
  const self: {
    -readonly [K in keyof ToResponsesStreamTranslator<AnthropicStreamEvent>]: ToResponsesStreamTranslator<AnthropicStreamEvent>[K];
  } = {
    push(event) {
      if (self.done) return [];
      const out = relay(chat.push(event));
      self.done = responses.done;
      return out;
    },
    finish() {
      if (self.done) return [];
      const out = relay(chat.finish());
      const rest = responses.finish();
      self.done = true;
      return rest.length === 0 ? out : [...out, ...rest];
    },
    error(err) {
      if (self.done) return [];
      self.done = true;
      return responses.error(err);
    },
    done: false,
    snapshot: () => responses.snapshot(),
  };
  return self;
}
