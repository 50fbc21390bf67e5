import { decodeBase64Text, parseDataUrl } from "./internal/data-url.js";
import { asTranslationError } from "./internal/malformed.js";
import { type InvalidToolArgumentsMode, parseToolArguments } from "./internal/tool-arguments.js";
import { isRecord, unsupported } from "./internal/unsupported.js";
import type {
  AnthropicCacheControl,
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicTextBlock,
} from "./types/anthropic.js";
import type {
  OpenAIAssistantMessage,
  OpenAIContentPart,
  OpenAIMessage,
  OpenAITextContentPart,
} from "./types/openai.js";

/** Options of {@link convertOpenAIMessagesToAnthropic}. */
export interface ConvertOpenAIMessagesOptions {
  /** Malformed tool-call `arguments`: throw (`"error"`, default) or keep as `{ _raw_arguments }`. */
  invalidToolArguments?: InvalidToolArgumentsMode;
  /** Id source for deprecated `function_call`s, which carry no id. */
  generateId?: () => string;
}

/** An Anthropic prompt: top-level `system` plus alternating `messages`. */
export interface AnthropicPrompt {
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessageParam[];
}

/**
 * Converts Chat Completions `messages` to an Anthropic prompt.
 *
 * `system`/`developer` messages (wherever they are) become top-level `system`: a string
 * when there is exactly one string system message, else one text block per part, in order.
 * `tool` messages become `tool_result` blocks in a user turn; consecutive turns of the same
 * role are merged, with tool results first. Assistant `reasoning_content` is dropped
 * (Anthropic only accepts thinking blocks it signed); signed `thinking_blocks` lead their
 * turn; empty assistant turns are skipped.
 */
export function convertOpenAIMessagesToAnthropic(
  messages: OpenAIMessage[],
  options: ConvertOpenAIMessagesOptions = {},
): AnthropicPrompt {
  try {
    return convertOpenAIMessagesToAnthropicUnchecked(messages, options);
  } catch (error) {
    throw asTranslationError(error, "request");
  }
}

function convertOpenAIMessagesToAnthropicUnchecked(
  messages: OpenAIMessage[],
  options: ConvertOpenAIMessagesOptions = {},
): AnthropicPrompt {
  const { invalidToolArguments = "error", generateId = () => crypto.randomUUID() } = options;
  const systemMessages = messages.filter((m) => m?.role === "system" || m?.role === "developer");
  const out: AnthropicMessageParam[] = [];
  const functionCallIds = new Map<string, string>();

  const push = (role: "user" | "assistant", content: string | AnthropicContentBlock[]) => {
    const last = out.at(-1);
    if (!last || last.role !== role) {
      out.push({ role, content });
      return;
    }
    last.content = [...toBlocks(last.content), ...toBlocks(content)];
  };

  messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    if (!isRecord(message)) unsupported(at, "Each message must be an object", "invalid_request");
    switch (message.role) {
      case "system":
      case "developer":
        return;
      case "user":
        push("user", withMessageCache(convertUserContent(message.content, at), message));
        return;
      case "assistant": {
        const blocks = convertAssistant(message, at, invalidToolArguments, (name) => {
          const id = `call_${generateId()}`;
          functionCallIds.set(name, id);
          return id;
        });
        if (blocks.length > 0)
          push("assistant", withMessageCache(blocks, message) as typeof blocks);
        return;
      }
      case "tool":
        push(
          "user",
          withMessageCache(
            [
              {
                type: "tool_result",
                tool_use_id: anthropicToolId(message.tool_call_id),
                content:
                  typeof message.content === "string"
                    ? message.content
                    : toolResultBlocks(message.content, `${at}.content`),
              },
            ],
            message,
          ),
        );
        return;
      case "function":
        push("user", [
          {
            type: "tool_result",
            tool_use_id: functionCallIds.get(message.name) ?? `call_${generateId()}`,
            content: message.content ?? "",
          },
        ]);
        return;
      default:
        unsupported(`${at}.role`, `Unknown message role "${(message as { role: string }).role}"`);
    }
  });

  for (const message of out) {
    if (Array.isArray(message.content)) {
      // Anthropic requires tool_result blocks to lead their user turn.
      const results = message.content.filter((b) => b.type === "tool_result");
      const rest = message.content.filter((b) => b.type !== "tool_result");
      message.content = [...results, ...rest];
    }
  }
  return { ...convertSystem(systemMessages), messages: out };
}

function convertSystem(messages: OpenAIMessage[]): { system?: string | AnthropicTextBlock[] } {
  if (messages.length === 0) return {};
  const only = messages[0];
  if (messages.length === 1 && typeof only?.content === "string" && !cacheOf(only))
    return { system: only.content };
  const blocks: AnthropicTextBlock[] = [];
  for (const message of messages) {
    const content = message.content as string | OpenAITextContentPart[];
    const own: AnthropicTextBlock[] =
      typeof content === "string"
        ? content === ""
          ? []
          : [{ type: "text", text: content }]
        : textBlocks(content);
    blocks.push(...(withMessageCache(own, message) as AnthropicTextBlock[]));
  }
  return { system: blocks };
}

function toBlocks(content: string | AnthropicContentBlock[]): AnthropicContentBlock[] {
  if (typeof content !== "string") return content;
  return content === "" ? [] : [{ type: "text", text: content }];
}

function textBlocks(parts: OpenAITextContentPart[]): AnthropicTextBlock[] {
  return parts.map((part) => withPartCache({ type: "text", text: part.text }, part));
}

/**
 * A prompt-cache breakpoint as clients mark it on OpenAI messages and parts (opencode's
 * OpenAI-compatible provider for Claude models, LiteLLM, OpenRouter): `cache_control`.
 */
function cacheOf(source: object): AnthropicCacheControl | undefined {
  const value = (source as { cache_control?: unknown }).cache_control;
  return isRecord(value) ? (value as AnthropicCacheControl) : undefined;
}

/** `block` with the part's `cache_control`, when it has one. */
function withPartCache<T extends AnthropicContentBlock>(block: T, part: object): T {
  const cache = cacheOf(part);
  if (cache !== undefined)
    (block as { cache_control?: AnthropicCacheControl }).cache_control = cache;
  return block;
}

/**
 * `content` with a message-level `cache_control` on its last block (Anthropic caches the
 * prefix up to and including the marked block, so the end of the message is the mark).
 */
function withMessageCache(
  content: string | AnthropicContentBlock[],
  message: object,
): string | AnthropicContentBlock[] {
  const cache = cacheOf(message);
  if (cache === undefined) return content;
  const blocks = toBlocks(content);
  const last = blocks.at(-1);
  if (last !== undefined && last.type !== "thinking" && last.type !== "redacted_thinking")
    last.cache_control = cache;
  return blocks;
}

/**
 * The parts of a `tool` message as `tool_result` content. OpenAI's spec has text only, but
 * clients send images too (a screenshot tool); Anthropic's tool results take both.
 */
function toolResultBlocks(
  parts: OpenAITextContentPart[],
  at: string,
): Array<AnthropicTextBlock | AnthropicImageBlock> {
  return (parts as OpenAIContentPart[]).map((part, j) => {
    if (part.type === "text") return withPartCache({ type: "text", text: part.text }, part);
    if (part.type === "image_url") {
      return withPartCache(convertUserPart(part, `${at}[${j}]`) as AnthropicImageBlock, part);
    }
    return unsupported(
      `${at}[${j}]`,
      `A tool result part of type "${String(part.type)}" cannot be sent to Anthropic (text and images can)`,
      "unsupported_content",
    );
  });
}

function convertUserContent(
  content: string | OpenAIContentPart[],
  at: string,
): string | AnthropicContentBlock[] {
  if (typeof content === "string") return content;
  return content.map((part, j) =>
    withPartCache(convertUserPart(part, `${at}.content[${j}]`), part),
  );
}

function convertUserPart(part: OpenAIContentPart, at: string): AnthropicContentBlock {
  switch (part.type) {
    case "text":
      return { type: "text", text: part.text };
    case "image_url": {
      const url = part.image_url?.url ?? "";
      const data = parseDataUrl(url);
      if (data)
        return {
          type: "image",
          source: { type: "base64", media_type: data.mediaType, data: data.data },
        };
      if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
      return unsupported(
        at,
        "Image URL must be an http(s) URL or a base64 data URL",
        "unsupported_content",
      );
    }
    case "file":
      return convertFilePart(part.file, at);
    case "input_audio":
      return unsupported(at, "Audio input cannot be sent to Anthropic", "unsupported_content");
    default:
      return unsupported(
        at,
        `Content part type "${(part as { type: string }).type}" cannot be sent to Anthropic`,
        "unsupported_content",
      );
  }
}

function convertFilePart(
  file: { file_data?: string; file_id?: string; filename?: string },
  at: string,
): AnthropicContentBlock {
  if (file?.file_data === undefined) {
    return unsupported(
      at,
      "Uploaded file ids are not portable to Anthropic; inline file_data instead",
      "unsupported_content",
    );
  }
  const data = parseDataUrl(file.file_data);
  const title = file.filename !== undefined ? { title: file.filename } : {};
  if (data?.mediaType === "application/pdf") {
    return {
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: data.data },
      ...title,
    };
  }
  if (data?.mediaType === "text/plain") {
    return {
      type: "document",
      source: { type: "text", media_type: "text/plain", data: decodeBase64Text(data.data) },
      ...title,
    };
  }
  return unsupported(
    at,
    "Only PDF and plain-text files (as base64 data URLs) can be sent to Anthropic",
    "unsupported_content",
  );
}

function convertAssistant(
  message: OpenAIAssistantMessage,
  at: string,
  mode: InvalidToolArgumentsMode,
  functionCallId: (name: string) => string,
): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  const { content } = message;
  // Signed thinking goes back first, as Anthropic wrote it (a turn with tool use needs it).
  if (Array.isArray(message.thinking_blocks)) {
    for (const block of message.thinking_blocks) {
      if (block?.type === "thinking" && typeof block.signature === "string")
        blocks.push({
          type: "thinking",
          thinking: String(block.thinking ?? ""),
          signature: block.signature,
        });
      else if (block?.type === "redacted_thinking" && typeof block.data === "string")
        blocks.push({ type: "redacted_thinking", data: block.data });
    }
  }
  if (typeof content === "string") {
    if (content !== "") blocks.push({ type: "text", text: content });
  } else if (Array.isArray(content)) {
    for (const part of content) {
      const text = part.type === "refusal" ? part.refusal : part.text;
      if (text) blocks.push(withPartCache({ type: "text", text }, part));
    }
  }
  if (!blocks.some((b) => b.type === "text") && message.refusal)
    blocks.push({ type: "text", text: message.refusal });
  (message.tool_calls ?? []).forEach((call, k) => {
    const param = `${at}.tool_calls[${k}]`;
    if (call.type !== "function" || !call.function) {
      unsupported(
        param,
        `Tool call type "${String(call.type)}" cannot be sent to Anthropic`,
        "unsupported_content",
      );
    }
    const input = parseToolArguments(call.function.arguments, mode, `${param}.function.arguments`);
    blocks.push({
      type: "tool_use",
      id: anthropicToolId(call.id),
      name: call.function.name,
      input,
    });
  });
  if (message.function_call) {
    const { name, arguments: args } = message.function_call;
    const input = parseToolArguments(args, mode, `${at}.function_call.arguments`);
    blocks.push({ type: "tool_use", id: functionCallId(name), name, input });
  }
  return blocks;
}

const ANTHROPIC_TOOL_ID = /^[a-zA-Z0-9_-]+$/;

/**
 * A tool call id as Anthropic takes it (`^[a-zA-Z0-9_-]+$`): ids other providers give
 * (`functions.get_weather:0`) have each other character replaced by `_` and a hash of the
 * whole id appended, so two ids never become one. The same id gives the same result on the
 * call and on its result, so they stay paired; an id Anthropic takes is kept as it is.
 */
export function anthropicToolId(id: string): string {
  if (ANTHROPIC_TOOL_ID.test(id)) return id;
  // FNV-1a over the UTF-16 code units: deterministic, no dependency.
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${id.replace(/[^a-zA-Z0-9_-]/g, "_")}_${hash.toString(16).padStart(8, "0")}`;
}
