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
import type { OpenAIChatRequest } from "./types/openai.js";

/** Options of {@link validateOpenAIChatRequest}. */
export interface ValidateOpenAIRequestOptions {
  /**
   * Also refuse values nested deeper than `REQUEST_LIMITS.maxJsonDepth` (default true). A
   * caller that already bounded the depth of the JSON text (a streaming scan) can skip it.
   */
  checkDepth?: boolean;
}

const str = string();
const isString = (v: unknown) => typeof v === "string";

/** Content parts; unknown part types pass (a compatible server may know them). */
const part = tagged({
  text: object({ text: str }, ["text"]),
  image_url: object({ image_url: object({ url: str, detail: str }, ["url"]) }, ["image_url"]),
  input_audio: object({ input_audio: record }, ["input_audio"]),
  file: object({ file: record }, ["file"]),
  refusal: object({ refusal: str }, ["refusal"]),
});
const content = either(
  [
    [isString, str],
    [Array.isArray, arrayOf(part)],
  ],
  "a string or an array of content parts",
);

const toolCall = tagged({
  function: object(
    {
      id: string({ min: 1 }),
      function: object({ name: string({ min: 1 }), arguments: str }, ["name", "arguments"]),
    },
    ["id", "function"],
  ),
});

const name = string({ min: 1 });
const message = tagged(
  {
    system: object({ content, name }, ["content"]),
    developer: object({ content, name }, ["content"]),
    user: object({ content, name }, ["content"]),
    assistant: object({
      content: nullable(content),
      name,
      refusal: nullable(str),
      tool_calls: nullable(arrayOf(toolCall)),
      function_call: nullable(object({ name: str, arguments: str })),
    }),
    tool: object({ content, tool_call_id: string({ min: 1 }) }, ["content", "tool_call_id"]),
    function: object({ name, content: nullable(str) }, ["name"]),
  },
  { key: "role", closed: true },
);

const functionName = string({ min: 1, max: L.maxOpenAIFunctionNameLength });
const functionDefinition = object(
  { name: functionName, description: str, parameters: record, strict: nullable(boolean) },
  ["name"],
);

const metadata: Check = (value, param) => {
  if (!isRecord(value)) invalid(param, `expected an object, got ${kindOf(value)}`);
  let count = 0;
  for (const key in value) {
    if (++count > L.maxMetadataKeys) invalid(param, `must have at most ${L.maxMetadataKeys} keys`);
    if (key.length > L.maxMetadataKeyLength)
      invalid(param, `keys must have at most ${L.maxMetadataKeyLength} characters`);
    const member = value[key];
    if (typeof member !== "string")
      invalid(`${param}.${key}`, `expected a string, got ${kindOf(member)}`);
    if (member.length > L.maxMetadataValueLength)
      invalid(`${param}.${key}`, `must have at most ${L.maxMetadataValueLength} characters`);
  }
};

const topLevel = fields({
  model: string({ min: 1, max: L.maxModelLength }),
  messages: arrayOf(message, { min: 1 }),
  temperature: nullable(number(0, 2)),
  top_p: nullable(number(0, 1)),
  n: nullable(integer(1, 128)),
  presence_penalty: nullable(number(-2, 2)),
  frequency_penalty: nullable(number(-2, 2)),
  max_tokens: nullable(integer(1)),
  max_completion_tokens: nullable(integer(1)),
  stream: nullable(boolean),
  stream_options: nullable(object({ include_usage: boolean, include_obfuscation: boolean })),
  stop: nullable(
    either(
      [
        [isString, str],
        [Array.isArray, arrayOf(str, { max: L.maxOpenAIStopSequences })],
      ],
      "a string or an array of strings",
    ),
  ),
  tools: arrayOf(tagged({ function: object({ function: functionDefinition }, ["function"]) }), {
    max: L.maxOpenAITools,
  }),
  tool_choice: either(
    [
      [isString, oneOf("none", "auto", "required")],
      [
        isRecord,
        tagged(
          {
            function: object({ function: object({ name: str }, ["name"]) }, ["function"]),
            allowed_tools: object({ allowed_tools: record }, ["allowed_tools"]),
            custom: object({ custom: object({ name: str }, ["name"]) }, ["custom"]),
          },
          { closed: true },
        ),
      ],
    ],
    'a string ("none", "auto", "required") or an object',
  ),
  parallel_tool_calls: nullable(boolean),
  functions: arrayOf(functionDefinition, { min: 1, max: L.maxOpenAITools }),
  function_call: either(
    [
      [isString, oneOf("none", "auto")],
      [isRecord, object({ name: str }, ["name"])],
    ],
    'a string ("none", "auto") or an object',
  ),
  response_format: tagged(
    {
      text: record,
      json_object: record,
      json_schema: object(
        {
          json_schema: object(
            { name: functionName, description: str, schema: record, strict: nullable(boolean) },
            ["name"],
          ),
        },
        ["json_schema"],
      ),
    },
    { closed: true },
  ),
  user: string({ max: L.maxUserIdLength }),
  safety_identifier: nullable(string({ max: L.maxSafetyIdentifierLength })),
  prompt_cache_key: nullable(string({ max: L.maxUserIdLength })),
  metadata: nullable(metadata),
  seed: nullable(integer(Number.MIN_SAFE_INTEGER)),
  logit_bias: nullable(record),
  logprobs: nullable(boolean),
  top_logprobs: nullable(integer(0, 20)),
  reasoning_effort: nullable(string({ min: 1, max: 64 })),
  modalities: nullable(arrayOf(string({ max: 64 }))),
  store: nullable(boolean),
  service_tier: nullable(string({ max: 64 })),
  // Not OpenAI's: vLLM, llama.cpp and OpenRouter take it (-1 or 0 turns it off).
  top_k: nullable(integer(-1)),
});

/**
 * Refuses what the OpenAI Chat Completions API would refuse, before anything is routed,
 * translated or charged: a 400 `TranslationError` (`invalid_request`) whose `param` names the
 * field. Nothing is changed. Members and part types this package does not know pass (a
 * compatible server may take them); a translator refuses what it cannot express.
 *
 * @example
 * validateOpenAIChatRequest({ model: "gpt-4.1", messages: [{ role: "user", content: "Hi" }] });
 * validateOpenAIChatRequest({ model: "gpt-4.1", temperature: 99, messages: [] });
 * // throws TranslationError { param: "temperature", message: "temperature: must be between 0 and 2" }
 */
export function validateOpenAIChatRequest(
  body: unknown,
  options: ValidateOpenAIRequestOptions = {},
): asserts body is OpenAIChatRequest {
  if (!isRecord(body)) invalid("body", `expected a JSON object, got ${kindOf(body)}`);
  required(body, ["model", "messages"], "");
  if (options.checkDepth !== false) checkDepth(body, L.maxJsonDepth, "body");
  checkFields(body, topLevel, "");
}
