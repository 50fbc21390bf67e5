import { formatDataUrl } from "./internal/data-url.js";
import { asTranslationError } from "./internal/malformed.js";
import { type InvalidToolArgumentsMode, stringifyToolInput } from "./internal/tool-arguments.js";
import { isRecord, unsupported } from "./internal/unsupported.js";
import type {
  AnthropicContentBlock,
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from "./types/anthropic.js";
import type {
  OpenAIAssistantMessage,
  OpenAIContentPart,
  OpenAIMessage,
  OpenAIToolCall,
} from "./types/openai.js";

/** Options of {@link convertAnthropicMessagesToOpenAI}. */
export interface ConvertAnthropicMessagesOptions {
  /** Role of the folded system prompt: `"system"` (default) or `"developer"`. */
  systemRole?: "system" | "developer";
  /** Assistant thinking blocks in history: dropped (default) or sent as `reasoning_content`. */
  reasoningHistory?: "drop" | "reasoning_content";
  /** `"raw"` restores tool inputs wrapped as `{ _raw_arguments }` by the other direction. */
  invalidToolArguments?: InvalidToolArgumentsMode;
}

/**
 * Converts an Anthropic prompt (`system` plus `messages`) to Chat Completions messages.
 *
 * The top-level system prompt and any `system` turns inside `messages` are folded, in
 * order, into one leading system message whose content is the texts joined by a blank
 * line (a string, which every OpenAI-compatible server accepts). Each `tool_result` becomes
 * a `tool` message placed right after the assistant turn (string content; `is_error`
 * results are prefixed with `Error: `); images inside tool results follow in a user message.
 */
export function convertAnthropicMessagesToOpenAI(
  request: Pick<AnthropicMessagesRequest, "system" | "messages">,
  options: ConvertAnthropicMessagesOptions = {},
): OpenAIMessage[] {
  try {
    return convertAnthropicMessagesToOpenAIUnchecked(request, options);
  } catch (error) {
    throw asTranslationError(error, "request");
  }
}

function convertAnthropicMessagesToOpenAIUnchecked(
  request: Pick<AnthropicMessagesRequest, "system" | "messages">,
  options: ConvertAnthropicMessagesOptions = {},
): OpenAIMessage[] {
  const {
    systemRole = "system",
    reasoningHistory = "drop",
    invalidToolArguments = "error",
  } = options;
  const systemTexts = toTexts(request.system);
  const out: OpenAIMessage[] = [];
  request.messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    if (!isRecord(message)) unsupported(at, "Each message must be an object", "invalid_request");
    if (message.role === "system") {
      systemTexts.push(...toTexts(message.content));
    } else if (message.role === "assistant") {
      out.push(convertAssistant(message.content, at, reasoningHistory, invalidToolArguments));
    } else if (message.role === "user") {
      out.push(...convertUser(message.content, at));
    } else {
      unsupported(
        `${at}.role`,
        `Unknown message role "${String((message as { role: unknown }).role)}"`,
        "invalid_request",
      );
    }
  });
  if (systemTexts.length === 0) return out;
  return [{ role: systemRole, content: systemTexts.join("\n\n") }, ...out];
}

function toTexts(content: string | AnthropicTextBlock[] | undefined): string[] {
  if (content === undefined) return [];
  if (typeof content === "string") return content === "" ? [] : [content];
  return content.map((block) => block.text);
}

function convertAssistant(
  content: string | AnthropicContentBlock[],
  at: string,
  reasoningHistory: "drop" | "reasoning_content",
  argumentsMode: InvalidToolArgumentsMode,
): OpenAIAssistantMessage {
  if (typeof content === "string") return { role: "assistant", content };
  let text = "";
  let reasoning = "";
  const toolCalls: OpenAIToolCall[] = [];
  content.forEach((block, j) => {
    switch (block.type) {
      case "text":
        text += block.text;
        return;
      case "tool_use":
        toolCalls.push({
          id: block.id,
          type: "function",
          function: { name: block.name, arguments: stringifyToolInput(block.input, argumentsMode) },
        });
        return;
      case "thinking":
        reasoning += block.thinking;
        return;
      case "redacted_thinking":
        return; // Encrypted; no OpenAI-compatible server can use it.
      default:
        unsupported(
          `${at}.content[${j}]`,
          `Block type "${block.type}" cannot be sent to an OpenAI model`,
          "unsupported_content",
        );
    }
  });
  const message: OpenAIAssistantMessage = {
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoningHistory === "reasoning_content" && reasoning !== "")
    message.reasoning_content = reasoning;
  return message;
}

function convertUser(content: string | AnthropicContentBlock[], at: string): OpenAIMessage[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const tools: OpenAIMessage[] = [];
  const toolImages: OpenAIContentPart[] = [];
  const parts: OpenAIContentPart[] = [];
  content.forEach((block, j) => {
    const path = `${at}.content[${j}]`;
    if (block.type === "tool_result") {
      const { text, media } = convertToolResult(block, path);
      tools.push({ role: "tool", tool_call_id: block.tool_use_id, content: text });
      if (media.length > 0) {
        toolImages.push(
          { type: "text", text: `Attachments of tool result ${block.tool_use_id}:` },
          ...media,
        );
      }
    } else {
      parts.push(convertUserBlock(block, path));
    }
  });
  const rest = [...toolImages, ...parts];
  return rest.length > 0 || tools.length === 0
    ? [...tools, { role: "user", content: rest }]
    : tools;
}

function convertToolResult(
  block: AnthropicToolResultBlock,
  at: string,
): { text: string; media: OpenAIContentPart[] } {
  const texts: string[] = [];
  const media: OpenAIContentPart[] = [];
  if (typeof block.content === "string") texts.push(block.content);
  else {
    (block.content ?? []).forEach((inner, k) => {
      if (inner.type === "text") texts.push(inner.text);
      else media.push(convertUserBlock(inner, `${at}.content[${k}]`));
    });
  }
  let text = texts.join("\n");
  if (text === "" && media.length > 0) text = "(attachments follow in the next message)";
  return { text: block.is_error ? `Error: ${text}` : text, media };
}

function convertUserBlock(block: AnthropicContentBlock, at: string): OpenAIContentPart {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "image": {
      const { source } = block;
      if (source.type === "base64") {
        const base64 = source as { media_type: string; data: string };
        return {
          type: "image_url",
          image_url: { url: formatDataUrl(base64.media_type, base64.data) },
        };
      }
      if (source.type === "url")
        return { type: "image_url", image_url: { url: (source as { url: string }).url } };
      return unsupported(
        at,
        "Anthropic file ids cannot be sent to an OpenAI model",
        "unsupported_content",
      );
    }
    case "document":
      return convertDocument(block, at);
    default:
      return unsupported(
        at,
        `Block type "${block.type}" cannot be sent to an OpenAI model`,
        "unsupported_content",
      );
  }
}

function convertDocument(
  block: Extract<AnthropicContentBlock, { type: "document" }>,
  at: string,
): OpenAIContentPart {
  const { source, title } = block;
  const heading = typeof title === "string" && title !== "" ? `${title}\n\n` : "";
  switch (source.type) {
    case "base64": {
      // OpenAI requires a filename with `file_data`; Anthropic's title is optional.
      const file = {
        file_data: formatDataUrl("application/pdf", (source as { data: string }).data),
        filename: typeof title === "string" && title !== "" ? title : "document.pdf",
      };
      return { type: "file", file };
    }
    case "text":
      // OpenAI file parts accept PDFs only; plain text reaches the model as text.
      return { type: "text", text: heading + (source as { data: string }).data };
    case "content": {
      const inner = (source as { content: string | AnthropicTextBlock[] }).content;
      return {
        type: "text",
        text: heading + (typeof inner === "string" ? inner : toTexts(inner).join("\n")),
      };
    }
    default:
      return unsupported(
        at,
        `Document source "${source.type}" cannot be sent to an OpenAI model`,
        "unsupported_content",
      );
  }
}
