import { type AnthropicMessage, convertAnthropicResponseToOpenAI } from "@switchyard/openai-compat";
import { readJson } from "../http/read-json.js";
import type { UpstreamResponse } from "../http/upstream.js";
import type { UsageSummary } from "../types.js";

/** Reads an Anthropic `Message` and converts it to an OpenAI `chat.completion`, with its usage. */
export async function convertAnthropicBodyToOpenAI(
  response: UpstreamResponse,
  backend: string,
  secrets: readonly string[],
): Promise<{ body: unknown; usage?: UsageSummary }> {
  const message = (await readJson(response, backend, {
    dialect: "anthropic",
    secrets,
  })) as AnthropicMessage;
  const body = convertAnthropicResponseToOpenAI(message);
  const u = message.usage;
  if (u === undefined) return { body };
  const usage: UsageSummary = { inputTokens: u.input_tokens, outputTokens: u.output_tokens };
  if (typeof u.cache_read_input_tokens === "number")
    usage.cacheReadTokens = u.cache_read_input_tokens;
  if (typeof u.cache_creation_input_tokens === "number")
    usage.cacheWriteTokens = u.cache_creation_input_tokens;
  return { body, usage };
}
