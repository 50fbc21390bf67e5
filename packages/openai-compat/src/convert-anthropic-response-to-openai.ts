import { TranslationError } from "./errors.js";
import { asTranslationError } from "./internal/malformed.js";
import { type InvalidToolArgumentsMode, stringifyToolInput } from "./internal/tool-arguments.js";
import { convertAnthropicStopReasonToOpenAI } from "./stop-reason.js";
import type { AnthropicMessage } from "./types/anthropic.js";
import type {
  OpenAIChatCompletion,
  OpenAIResponseMessage,
  OpenAIToolCall,
} from "./types/openai.js";
import { convertAnthropicUsageToOpenAI } from "./usage.js";

/** Options of {@link convertAnthropicResponseToOpenAI}. */
export interface ConvertAnthropicResponseOptions {
  /** Clock for `created` (milliseconds). Default `Date.now`. */
  now?: () => number;
  /** Field that carries thinking text: `"reasoning_content"` (default, as DeepSeek and vLLM) or `"reasoning"`. */
  reasoningField?: "reasoning_content" | "reasoning";
  /** `"raw"` restores tool inputs wrapped as `{ _raw_arguments }` by the other direction. */
  invalidToolArguments?: InvalidToolArgumentsMode;
}

/**
 * Converts an Anthropic `Message` to an OpenAI `ChatCompletion` (one choice).
 *
 * Text blocks are concatenated into `content`; `tool_use` blocks become `tool_calls`;
 * thinking becomes `reasoning_content`; redacted thinking is dropped. The upstream id and
 * model are kept. A `refusal` stop reason becomes `finish_reason: "content_filter"` with the
 * text (if any) left in `content`.
 *
 * @example
 * const completion = convertAnthropicResponseToOpenAI(message);
 * completion.choices[0].message.content; // "Hello!"
 */
export function convertAnthropicResponseToOpenAI(
  message: AnthropicMessage,
  options: ConvertAnthropicResponseOptions = {},
): OpenAIChatCompletion {
  try {
    return convertAnthropicResponseToOpenAIUnchecked(message, options);
  } catch (error) {
    throw asTranslationError(error, "response");
  }
}

function convertAnthropicResponseToOpenAIUnchecked(
  message: AnthropicMessage,
  options: ConvertAnthropicResponseOptions = {},
): OpenAIChatCompletion {
  const {
    now = Date.now,
    reasoningField = "reasoning_content",
    invalidToolArguments = "error",
  } = options;
  if (!message || !Array.isArray(message.content)) {
    throw new TranslationError({
      code: "invalid_response",
      message: "Upstream Anthropic response has no content array",
    });
  }
  let text = "";
  let reasoning = "";
  const toolCalls: OpenAIToolCall[] = [];
  message.content.forEach((block, i) => {
    switch (block.type) {
      case "text":
        text += block.text;
        return;
      case "thinking":
        reasoning += block.thinking;
        return;
      case "redacted_thinking":
        return;
      case "tool_use":
        toolCalls.push({
          id: block.id,
          type: "function",
          function: {
            name: block.name,
            arguments: stringifyToolInput(block.input, invalidToolArguments),
          },
        });
        return;
      default:
        throw new TranslationError({
          code: "unsupported_content",
          message: `Response block type "${(block as { type: string }).type}" has no OpenAI equivalent`,
          param: `content[${i}]`,
          status: 502,
        });
    }
  });

  const reply: OpenAIResponseMessage = {
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) reply.tool_calls = toolCalls;
  if (reasoning !== "") reply[reasoningField] = reasoning;

  return {
    id: message.id,
    object: "chat.completion",
    created: Math.floor(now() / 1000),
    model: message.model,
    choices: [
      {
        index: 0,
        message: reply,
        finish_reason: convertAnthropicStopReasonToOpenAI(message.stop_reason) ?? "stop",
        logprobs: null,
      },
    ],
    usage: convertAnthropicUsageToOpenAI(message.usage ?? {}),
  };
}
