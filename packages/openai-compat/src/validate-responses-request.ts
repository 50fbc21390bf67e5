import { TranslationError } from "./errors.js";
import { isRecord } from "./internal/unsupported.js";
import type { ResponsesRequest } from "./types/responses.js";

/** Options of {@link validateResponsesRequest}. */
export interface ValidateResponsesRequestOptions {
  /** Accepted for symmetry with the other validators; depth is bounded by the JSON parser. */
  checkDepth?: boolean;
}

function invalid(param: string, message: string): never {
  throw new TranslationError({ code: "invalid_request", message: `${param}: ${message}`, param });
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * `value` (the body's `key`) is absent, null or passes `check`. Each caller reads its value by
 * name: a shared `body[key]` read would see every key and go megamorphic.
 */
const optional = (
  key: string,
  value: unknown,
  check: (v: unknown) => boolean,
  expected: string,
) => {
  if (value === undefined || value === null) return;
  if (!check(value)) invalid(key, `expected ${expected}, got ${kindOf(value)}`);
};

const isString = (v: unknown) => typeof v === "string";
const isBoolean = (v: unknown) => typeof v === "boolean";
const inRange = (min: number, max: number) => (v: unknown) =>
  typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;
/** At most `Number.MAX_SAFE_INTEGER`, as the Chat and Messages validators take (1e308 is an integer). */
/** The API refuses a `max_output_tokens` below 16 ("Expected a value >= 16"). */
const MIN_OUTPUT_TOKENS = 16;
const isOutputTokenLimit = (v: unknown) =>
  Number.isSafeInteger(v) && (v as number) >= MIN_OUTPUT_TOKENS;
const isTemperature = inRange(0, 2);
const isTopP = inRange(0, 1);
const TOOL_CHOICES = ["none", "auto", "required"];

const PART_TEXT: Readonly<Record<string, string | undefined>> = {
  input_text: "text",
  output_text: "text",
  refusal: "refusal",
  input_image: undefined,
  input_file: undefined,
};

const ROLES = new Set(["user", "assistant", "system", "developer"]);

function validateContent(content: unknown, param: string): void {
  if (typeof content === "string") return;
  if (!Array.isArray(content))
    invalid(param, `expected a string or an array of parts, got ${kindOf(content)}`);
  content.forEach((part, i) => {
    const at = `${param}[${i}]`;
    if (!isRecord(part) || typeof part.type !== "string")
      invalid(at, "expected a part with a type");
    if (!(part.type in PART_TEXT))
      invalid(`${at}.type`, `unknown content part type "${part.type.slice(0, 64)}"`);
    const field = PART_TEXT[part.type];
    if (field !== undefined && typeof part[field] !== "string")
      invalid(`${at}.${field}`, "expected a string");
    if (
      part.type === "input_image" &&
      typeof part.image_url !== "string" &&
      typeof part.file_id !== "string"
    )
      invalid(at, "input_image needs image_url or file_id");
  });
}

function validateItem(item: unknown, at: string): void {
  if (!isRecord(item)) invalid(at, `expected an object, got ${kindOf(item)}`);
  const type = item.type ?? "message";
  if (typeof type !== "string") invalid(`${at}.type`, "expected a string");
  switch (type) {
    case "message":
      if (typeof item.role !== "string" || !ROLES.has(item.role))
        invalid(`${at}.role`, "expected user, assistant, system or developer");
      if (item.content === undefined) invalid(`${at}.content`, "is required");
      validateContent(item.content, `${at}.content`);
      return;
    case "function_call":
      for (const key of ["call_id", "name", "arguments"])
        if (typeof item[key] !== "string") invalid(`${at}.${key}`, "expected a string");
      return;
    case "function_call_output":
      if (typeof item.call_id !== "string") invalid(`${at}.call_id`, "expected a string");
      if (typeof item.output !== "string") validateContent(item.output, `${at}.output`);
      return;
    case "reasoning":
      if (!Array.isArray(item.summary)) invalid(`${at}.summary`, "expected an array");
      return;
    default:
      // Hosted tool calls, item references and newer item types: checked where translated.
      return;
  }
}

/**
 * Refuses a Responses request body (`POST /v1/responses`) the Responses API would refuse,
 * with a 400 `TranslationError` naming the field: `model` a non-empty string; `input` a
 * string or an array of items (messages with known roles and parts, function calls and
 * outputs with `call_id`); `instructions` a string; `max_output_tokens` an integer of
 * at least 16; `temperature` 0–2; `top_p` 0–1; `tools` an array of typed objects (function
 * tools named); `stream`, `store`, `parallel_tool_calls` booleans. Nothing is changed.
 *
 * @example
 * validateResponsesRequest({ model: "gpt-5", input: "Hi" }); // passes
 */
export function validateResponsesRequest(
  body: unknown,
  _options: ValidateResponsesRequestOptions = {},
): asserts body is ResponsesRequest {
  if (!isRecord(body)) invalid("body", `expected a JSON object, got ${kindOf(body)}`);
  if (typeof body.model !== "string" || body.model === "")
    invalid("model", "a non-empty string is required");
  const input = body.input;
  if (input !== undefined && typeof input !== "string") {
    if (!Array.isArray(input))
      invalid("input", `expected a string or an array of items, got ${kindOf(input)}`);
    for (let i = 0; i < input.length; i++) validateItem(input[i], `input[${i}]`);
  }
  optional("instructions", body.instructions, isString, "a string");
  optional(
    "max_output_tokens",
    body.max_output_tokens,
    isOutputTokenLimit,
    `an integer of at least ${MIN_OUTPUT_TOKENS}`,
  );
  optional("temperature", body.temperature, isTemperature, "a number between 0 and 2");
  optional("top_p", body.top_p, isTopP, "a number between 0 and 1");
  optional("stream", body.stream, isBoolean, "a boolean");
  optional("store", body.store, isBoolean, "a boolean");
  optional("parallel_tool_calls", body.parallel_tool_calls, isBoolean, "a boolean");
  optional("background", body.background, isBoolean, "a boolean");
  optional("metadata", body.metadata, isRecord, "an object");
  optional("reasoning", body.reasoning, isRecord, "an object");
  optional("text", body.text, isRecord, "an object");
  optional("include", body.include, Array.isArray, "an array");
  optional("previous_response_id", body.previous_response_id, isString, "a string");
  const tools = body.tools;
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools)) invalid("tools", `expected an array, got ${kindOf(tools)}`);
    tools.forEach((tool, i) => {
      if (!isRecord(tool) || typeof tool.type !== "string")
        invalid(`tools[${i}]`, "expected a tool with a type");
      if (tool.type === "function" && (typeof tool.name !== "string" || tool.name === ""))
        invalid(`tools[${i}].name`, "a function tool needs a name");
    });
  }
  const choice = body.tool_choice;
  if (choice !== undefined && choice !== null && typeof choice !== "string" && !isRecord(choice))
    invalid("tool_choice", `expected a string or an object, got ${kindOf(choice)}`);
  if (typeof choice === "string" && !TOOL_CHOICES.includes(choice))
    invalid("tool_choice", 'expected "none", "auto" or "required"');
}
