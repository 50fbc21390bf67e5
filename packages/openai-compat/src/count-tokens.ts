import { asTranslationError } from "./internal/malformed.js";
import type {
  AnthropicContentBlock,
  AnthropicMessagesRequest,
  AnthropicTool,
} from "./types/anthropic.js";
import type { OpenAIChatRequest, OpenAIContentPart } from "./types/openai.js";

/**
 * Constants of the token estimate. It is a heuristic for `count_tokens` when the upstream
 * cannot count: roughly right for English prose and code, never exact.
 */
export const TOKEN_ESTIMATE = {
  /** ASCII characters per token. Each non-ASCII character counts as one token. */
  charsPerToken: 4,
  /** Role and turn markers per message. */
  perMessage: 4,
  /** Per tool definition, on top of its name, description and schema text. */
  perTool: 8,
  /** Tool-use system prompt the provider adds once when tools are present. */
  toolsPreamble: 350,
  /** An image of up to ~1.15 megapixels (Anthropic: width × height / 750). */
  perImage: 1600,
  /** A PDF page (text plus page image). */
  perPdfPage: 2500,
  /** Bytes of PDF assumed per page when the page count is unknown. */
  pdfBytesPerPage: 100_000,
  /** Fixed per-request overhead. */
  perRequest: 3,
} as const;

/** Result of a token estimate, shaped like Anthropic's `count_tokens` response. */
export interface TokenEstimate {
  input_tokens: number;
}

/** Estimated tokens of a text: ASCII characters / 4 plus one per other character. */
export function estimateTextTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) ascii++;
    else if (code < 0xdc00 || code > 0xdfff) other++; // a surrogate pair counts once
  }
  return Math.ceil(ascii / TOKEN_ESTIMATE.charsPerToken) + other;
}

function jsonTokens(value: unknown): number {
  return value === undefined ? 0 : estimateTextTokens(JSON.stringify(value) ?? "");
}

function pdfTokens(base64: string): number {
  const bytes = Math.floor((base64.length * 3) / 4);
  return Math.max(1, Math.ceil(bytes / TOKEN_ESTIMATE.pdfBytesPerPage)) * TOKEN_ESTIMATE.perPdfPage;
}

function blockTokens(block: AnthropicContentBlock): number {
  switch (block.type) {
    case "text":
      return estimateTextTokens(block.text);
    case "image":
      return TOKEN_ESTIMATE.perImage;
    case "document": {
      const source = block.source as { type: string; data?: unknown; content?: unknown };
      if (source.type === "base64" && typeof source.data === "string")
        return pdfTokens(source.data);
      if (typeof source.data === "string") return estimateTextTokens(source.data);
      return source.type === "content" ? jsonTokens(source.content) : TOKEN_ESTIMATE.perPdfPage;
    }
    case "tool_use":
      return estimateTextTokens(block.name) + jsonTokens(block.input);
    case "tool_result": {
      const { content } = block;
      if (content === undefined) return 1;
      return typeof content === "string"
        ? estimateTextTokens(content)
        : content.reduce((n, b) => n + blockTokens(b), 0);
    }
    case "thinking":
      return estimateTextTokens(block.thinking);
    case "redacted_thinking":
      return estimateTextTokens(block.data);
    default:
      return jsonTokens(block);
  }
}

function toolTokens(
  tools: Array<Pick<AnthropicTool, "name" | "description" | "input_schema">>,
): number {
  if (tools.length === 0) return 0;
  return tools.reduce<number>(
    (n, tool) =>
      n +
      TOKEN_ESTIMATE.perTool +
      estimateTextTokens(tool.name) +
      estimateTextTokens(tool.description ?? "") +
      jsonTokens(tool.input_schema),
    TOKEN_ESTIMATE.toolsPreamble,
  );
}

/**
 * Estimates the input tokens of an Anthropic Messages request, as `count_tokens` would
 * report them (see {@link TOKEN_ESTIMATE} for the constants).
 *
 * @example
 * estimateInputTokens({ model: "m", max_tokens: 1, messages: [{ role: "user", content: "Hello there" }] });
 * // { input_tokens: 10 }
 */
export function estimateInputTokens(
  request: Pick<AnthropicMessagesRequest, "system" | "messages" | "tools">,
): TokenEstimate {
  try {
    return estimateInputTokensUnchecked(request);
  } catch (error) {
    throw asTranslationError(error, "request");
  }
}

function estimateInputTokensUnchecked(
  request: Pick<AnthropicMessagesRequest, "system" | "messages" | "tools">,
): TokenEstimate {
  let total = TOKEN_ESTIMATE.perRequest;
  const { system } = request;
  if (typeof system === "string") total += estimateTextTokens(system);
  else if (Array.isArray(system))
    total += system.reduce((n, b) => n + estimateTextTokens(b.text ?? ""), 0);
  for (const message of request.messages ?? []) {
    total += TOKEN_ESTIMATE.perMessage;
    const { content } = message;
    if (typeof content === "string") total += estimateTextTokens(content);
    else if (Array.isArray(content))
      total += (content as AnthropicContentBlock[]).reduce((n, b) => n + blockTokens(b), 0);
  }
  total += toolTokens(request.tools ?? []);
  return { input_tokens: total };
}

function partTokens(part: OpenAIContentPart | { type: string; [key: string]: unknown }): number {
  switch (part.type) {
    case "text":
      return estimateTextTokens(String(part.text ?? ""));
    case "image_url":
      return TOKEN_ESTIMATE.perImage;
    case "file": {
      const data = (part.file as { file_data?: string } | undefined)?.file_data;
      return typeof data === "string"
        ? pdfTokens(data.slice(data.indexOf(",") + 1))
        : TOKEN_ESTIMATE.perPdfPage;
    }
    case "refusal":
      return estimateTextTokens(String(part.refusal ?? ""));
    default:
      return jsonTokens(part);
  }
}

/** Estimates the input tokens of an OpenAI Chat Completions request with the same constants. */
export function estimateOpenAIInputTokens(
  request: Pick<OpenAIChatRequest, "messages" | "tools" | "functions">,
): TokenEstimate {
  try {
    return estimateOpenAIInputTokensUnchecked(request);
  } catch (error) {
    throw asTranslationError(error, "request");
  }
}

function estimateOpenAIInputTokensUnchecked(
  request: Pick<OpenAIChatRequest, "messages" | "tools" | "functions">,
): TokenEstimate {
  let total = TOKEN_ESTIMATE.perRequest;
  for (const message of request.messages ?? []) {
    total += TOKEN_ESTIMATE.perMessage;
    const { content } = message;
    if (typeof content === "string") total += estimateTextTokens(content);
    else if (Array.isArray(content))
      total += content.reduce((n: number, p) => n + partTokens(p), 0);
    if (message.role === "assistant") {
      for (const call of message.tool_calls ?? []) {
        total +=
          estimateTextTokens(call.function?.name ?? "") +
          estimateTextTokens(call.function?.arguments ?? "");
      }
    }
  }
  const functions = [
    ...(request.tools ?? []).map((t) => t.function),
    ...(request.functions ?? []),
  ].filter(Boolean);
  total += toolTokens(
    functions.map((f) => ({
      name: f.name,
      description: f.description,
      input_schema: f.parameters as never,
    })),
  );
  return { input_tokens: total };
}
