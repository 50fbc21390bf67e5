import type { OpenAIUsage } from "../types/openai.js";
import type { ResponsesRequest, ResponsesResponse, ResponsesUsage } from "../types/responses.js";

/** What a `Response` object echoes of its request, and who it is. */
export interface ResponseShellOptions {
  id: string;
  model: string;
  createdAt: number;
  request?: ResponsesRequest | undefined;
}

/**
 * A `Response` object with no output yet (`status: "in_progress"`): the fields a client
 * reads back from the request (instructions, tools, tool_choice, sampling) are echoed.
 */
export function createResponseShell({
  id,
  model,
  createdAt,
  request,
}: ResponseShellOptions): ResponsesResponse {
  const shell: ResponsesResponse = {
    id,
    object: "response",
    created_at: createdAt,
    status: "in_progress",
    error: null,
    incomplete_details: null,
    instructions: request?.instructions ?? null,
    max_output_tokens: request?.max_output_tokens ?? null,
    model,
    output: [],
    parallel_tool_calls: request?.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: request?.reasoning ?? null,
    store: false,
    temperature: request?.temperature ?? null,
    text: request?.text ?? { format: { type: "text" } },
    tool_choice: request?.tool_choice ?? "auto",
    tools: request?.tools ?? [],
    top_p: request?.top_p ?? null,
    usage: null,
    metadata: request?.metadata ?? {},
  };
  return shell;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Chat Completions usage as Responses usage (same semantics: input includes cached). */
export function convertOpenAIUsageToResponses(usage: Partial<OpenAIUsage>): ResponsesUsage {
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: count(usage.prompt_tokens_details?.cached_tokens) },
    output_tokens: output,
    output_tokens_details: {
      reasoning_tokens: count(usage.completion_tokens_details?.reasoning_tokens),
    },
    total_tokens: count(usage.total_tokens) || input + output,
  };
}

/** Responses usage as Chat Completions usage. */
export function convertResponsesUsageToOpenAI(usage: Partial<ResponsesUsage>): OpenAIUsage {
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const result: OpenAIUsage = {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: count(usage.total_tokens) || input + output,
    prompt_tokens_details: { cached_tokens: count(usage.input_tokens_details?.cached_tokens) },
  };
  const reasoning = usage.output_tokens_details?.reasoning_tokens;
  if (typeof reasoning === "number")
    result.completion_tokens_details = { reasoning_tokens: reasoning };
  return result;
}

/** The character code of each hex digit. */
const HEX = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));
/** Random bytes drawn 4 KiB at a time (one draw per 256 ids), 16 for each id. */
const pool = new Uint8Array(4096);
let drawn = pool.length;
/** The character codes of the id being written. */
const idCodes: number[] = [];

/**
 * A random id with `prefix` (`resp_`, `msg_`, `fc_`, `rs_`): 32 hex digits of 16 random bytes
 * (the same shape as a UUID's hex without dashes, at under half its cost). Written as one
 * flat string from its character codes: the templates copy it, and `quote` reads it, several
 * times each (a string built by concatenation is a tree, walked on every read).
 */
export function responsesId(prefix: string): string {
  if (drawn + 16 > pool.length) {
    crypto.getRandomValues(pool);
    drawn = 0;
  }
  const p = pool;
  const i = drawn;
  drawn += 16;
  // One array for every id (read at once by fromCharCode), written in place: no array
  // grown per id (setting its length to 0 would drop its storage).
  const codes = idCodes;
  let n = 0;
  for (let k = 0; k < prefix.length; k++) codes[n++] = prefix.charCodeAt(k);
  for (let k = i; k < i + 16; k++) {
    const byte = p[k] as number;
    codes[n++] = HEX[byte >> 4] as number;
    codes[n++] = HEX[byte & 15] as number;
  }
  if (codes.length !== n) codes.length = n;
  return String.fromCharCode.apply(null, codes);
}
