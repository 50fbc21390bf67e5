import {
  arrayOf,
  boolean,
  type Check,
  checkDepth,
  checkFields,
  either,
  fields,
  integer,
  invalid,
  isRecord,
  kindOf,
  nullable,
  number,
  object,
  oneOf,
  record,
  required,
  string,
  tagged,
} from "./internal/checks.js";
import { REQUEST_LIMITS as L } from "./request-limits.js";
import type { AnthropicMessagesRequest } from "./types/anthropic.js";

/** Options of {@link validateAnthropicMessagesRequest}. */
export interface ValidateAnthropicRequestOptions {
  /** `count_tokens` takes no `max_tokens`; `messages` (default) requires it. */
  endpoint?: "messages" | "count_tokens";
  /**
   * Also refuse values nested deeper than `REQUEST_LIMITS.maxJsonDepth` (default true). A
   * caller that already bounded the depth of the JSON text (a streaming scan) can skip it.
   */
  checkDepth?: boolean;
}

const str = string();
const cacheControl = nullable(record);

const text = object(
  { text: str, cache_control: cacheControl, citations: nullable(arrayOf(record)) },
  ["text"],
);
/** The image types the API takes (a base64 `image/svg+xml` or `image/bmp` is refused). */
const imageMediaType = oneOf("image/jpeg", "image/png", "image/gif", "image/webp");

const image = object(
  {
    source: tagged({
      base64: object({ media_type: imageMediaType, data: str }, ["media_type", "data"]),
      url: object({ url: str }, ["url"]),
      file: object({ file_id: str }, ["file_id"]),
    }),
    cache_control: cacheControl,
  },
  ["source"],
);
const document = object(
  { source: record, title: nullable(str), context: nullable(str), cache_control: cacheControl },
  ["source"],
);

/** Blocks a `tool_result` may hold (never another tool result). Unknown types pass. */
const resultBlock = tagged({
  text,
  image,
  document,
  tool_result: (_value, param) =>
    invalid(`${param}.type`, "a tool_result cannot hold a tool_result"),
});

const block = tagged({
  text,
  image,
  document,
  tool_use: object(
    {
      id: string({ min: 1 }),
      name: string({ min: 1 }),
      input: record,
      cache_control: cacheControl,
    },
    ["id", "name", "input"],
  ),
  tool_result: object(
    {
      tool_use_id: string({ min: 1 }),
      content: either(
        [
          [(v) => typeof v === "string", str],
          [Array.isArray, arrayOf(resultBlock)],
        ],
        "a string or an array of content blocks",
      ),
      is_error: boolean,
      cache_control: cacheControl,
    },
    ["tool_use_id"],
  ),
  thinking: object({ thinking: str, signature: str }, ["thinking"]),
  redacted_thinking: object({ data: str }, ["data"]),
});

const content = either(
  [
    [(v) => typeof v === "string", str],
    [Array.isArray, arrayOf(block)],
  ],
  "a string or an array of content blocks",
);

/** `system`: a string or text blocks only (an image there is refused, not dropped). */
const systemContent = either(
  [
    [(v) => typeof v === "string", str],
    [Array.isArray, arrayOf(tagged({ text }, { closed: true }))],
  ],
  "a string or an array of text blocks",
);

/** The SDK's `MessageParam`: user, assistant, or a mid-conversation system turn. */
const message = tagged(
  {
    user: object({ content }, ["content"]),
    assistant: object({ content }, ["content"]),
    system: object({ content: systemContent }, ["content"]),
  },
  { key: "role", closed: true },
);

/** A custom (client) tool; server tools (`web_search_…`, `bash_…`) carry their own `type`. */
const customTool = object(
  {
    name: string({ min: 1, max: L.maxAnthropicToolNameLength }),
    description: str,
    input_schema: record,
    cache_control: cacheControl,
  },
  ["name", "input_schema"],
);
const tool: Check = (value, param) => {
  if (!isRecord(value)) invalid(param, `expected an object, got ${kindOf(value)}`);
  if (value.type === undefined || value.type === null || value.type === "custom")
    customTool(value, param);
  else tagged({})(value, param);
};

const parallel = { disable_parallel_tool_use: boolean };

const topLevel = fields({
  model: string({ min: 1, max: L.maxModelLength }),
  // The API refuses an empty list ("messages: at least one message is required").
  messages: arrayOf(message, { min: 1 }),
  max_tokens: integer(1),
  system: systemContent,
  temperature: number(0, 1),
  top_p: number(0, 1),
  top_k: integer(0),
  stop_sequences: arrayOf(str),
  stream: boolean,
  metadata: object({ user_id: nullable(string({ max: L.maxUserIdLength })) }),
  tools: arrayOf(tool),
  tool_choice: tagged(
    {
      auto: object(parallel),
      any: object(parallel),
      tool: object({ name: string({ min: 1 }), ...parallel }, ["name"]),
      none: record,
    },
    { closed: true },
  ),
  thinking: tagged(
    {
      enabled: object({ budget_tokens: integer(1024) }, ["budget_tokens"]),
      disabled: record,
      adaptive: record,
    },
    { closed: true },
  ),
  output_config: object({
    effort: nullable(string({ min: 1, max: 64 })),
    format: nullable(tagged({ json_schema: object({ schema: record }, ["schema"]) })),
  }),
  service_tier: string({ max: 64 }),
});

/**
 * Refuses what the Anthropic Messages API (or `count_tokens`) would refuse, before anything is
 * routed, translated or charged: a 400 `TranslationError` (`invalid_request`) whose `param`
 * names the field. Nothing is changed. Members and block types this package does not know
 * pass (the upstream may know them); a translator refuses what it cannot express.
 *
 * @example
 * validateAnthropicMessagesRequest({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "Hi" }] });
 * validateAnthropicMessagesRequest({ model: "m", max_tokens: "64", messages: [{ role: "user", content: "Hi" }] });
 * // throws TranslationError { param: "max_tokens", message: "max_tokens: expected an integer, got a string" }
 */
export function validateAnthropicMessagesRequest(
  body: unknown,
  options: ValidateAnthropicRequestOptions = {},
): asserts body is AnthropicMessagesRequest {
  if (!isRecord(body)) invalid("body", `expected a JSON object, got ${kindOf(body)}`);
  required(
    body,
    options.endpoint === "count_tokens"
      ? ["model", "messages"]
      : ["model", "messages", "max_tokens"],
    "",
  );
  if (options.checkDepth !== false) checkDepth(body, L.maxJsonDepth, "body");
  checkFields(body, topLevel, "");
}
