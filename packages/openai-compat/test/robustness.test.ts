/**
 * Property: malformed input never crashes a converter. Every function either returns or
 * throws a `TranslationError` (which the proxy turns into a clean 400/502), never a
 * `TypeError` from reading a field that is not there.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  convertAnthropicRequestToOpenAI,
  convertAnthropicResponseToOpenAI,
  convertOpenAIRequestToAnthropic,
  convertOpenAIResponseToAnthropic,
  estimateInputTokens,
  estimateOpenAIInputTokens,
  TranslationError,
} from "../src/index.js";

const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 5 }),
  fc.integer(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, junk);

const openAIPart = fc.record(
  {
    type: maybe(fc.constantFrom("text", "image_url", "file", "input_audio", "refusal", "weird")),
    text: maybe(fc.string()),
    refusal: maybe(fc.string()),
    image_url: maybe(
      fc.record({
        url: maybe(fc.constantFrom("data:image/png;base64,AAAA", "https://x/y", "nope")),
      }),
    ),
    file: maybe(
      fc.record({
        file_data: maybe(
          fc.constantFrom(
            "data:application/pdf;base64,AA",
            "data:text/plain;base64,aGk=",
            "data:x",
          ),
        ),
        filename: junk,
      }),
    ),
  },
  { requiredKeys: [] },
);
const openAIMessage = fc.record(
  {
    role: maybe(
      fc.constantFrom("system", "developer", "user", "assistant", "tool", "function", "other"),
    ),
    content: maybe(fc.oneof(fc.string(), fc.array(maybe(openAIPart), { maxLength: 3 }))),
    tool_calls: maybe(
      fc.array(
        maybe(
          fc.record({
            id: junk,
            type: maybe(fc.constant("function")),
            function: maybe(
              fc.record({
                name: junk,
                arguments: maybe(fc.constantFrom("{}", '{"a":1}', "[", "")),
              }),
            ),
          }),
        ),
        { maxLength: 2 },
      ),
    ),
    tool_call_id: junk,
    function_call: maybe(fc.record({ name: junk, arguments: junk })),
    refusal: junk,
    name: junk,
  },
  { requiredKeys: [] },
);
const openAIRequest = fc.record(
  {
    model: junk,
    messages: maybe(fc.array(maybe(openAIMessage), { maxLength: 4 })),
    tools: maybe(
      fc.array(
        maybe(
          fc.record({
            type: maybe(fc.constant("function")),
            function: maybe(fc.record({ name: junk, parameters: junk, description: junk })),
          }),
        ),
        { maxLength: 2 },
      ),
    ),
    tool_choice: maybe(fc.constantFrom("auto", "none", "required", "x")),
    functions: maybe(fc.array(junk, { maxLength: 2 })),
    function_call: junk,
    stop: maybe(fc.array(junk, { maxLength: 2 })),
    response_format: maybe(
      fc.record({
        type: maybe(fc.constantFrom("text", "json_object", "json_schema")),
        json_schema: junk,
      }),
    ),
    reasoning_effort: maybe(fc.constantFrom("low", "high", "none")),
    max_tokens: junk,
    temperature: junk,
    n: junk,
    modalities: junk,
    stream_options: junk,
    metadata: junk,
  },
  { requiredKeys: [] },
);

const anthropicBlock = fc.record(
  {
    type: maybe(
      fc.constantFrom(
        "text",
        "image",
        "document",
        "tool_use",
        "tool_result",
        "thinking",
        "redacted_thinking",
        "weird",
      ),
    ),
    text: junk,
    thinking: junk,
    data: junk,
    id: junk,
    name: junk,
    input: junk,
    tool_use_id: junk,
    is_error: junk,
    title: junk,
    source: maybe(
      fc.record({
        type: maybe(fc.constantFrom("base64", "url", "text", "content", "file")),
        media_type: junk,
        data: junk,
        url: junk,
        content: junk,
      }),
    ),
    content: maybe(fc.oneof(fc.string(), fc.array(junk, { maxLength: 2 }))),
  },
  { requiredKeys: [] },
);
const anthropicRequest = fc.record(
  {
    model: junk,
    max_tokens: junk,
    system: maybe(fc.oneof(fc.string(), fc.array(maybe(anthropicBlock), { maxLength: 2 }))),
    messages: maybe(
      fc.array(
        maybe(
          fc.record(
            {
              role: maybe(fc.constantFrom("user", "assistant", "system", "x")),
              content: maybe(
                fc.oneof(fc.string(), fc.array(maybe(anthropicBlock), { maxLength: 3 })),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        { maxLength: 4 },
      ),
    ),
    tools: maybe(
      fc.array(
        maybe(
          fc.record(
            { name: junk, type: junk, input_schema: junk, description: junk },
            { requiredKeys: [] },
          ),
        ),
        { maxLength: 2 },
      ),
    ),
    tool_choice: maybe(
      fc.record(
        {
          type: maybe(fc.constantFrom("auto", "any", "tool", "none", "x")),
          name: junk,
          disable_parallel_tool_use: junk,
        },
        { requiredKeys: [] },
      ),
    ),
    thinking: maybe(
      fc.record(
        { type: maybe(fc.constantFrom("enabled", "disabled", "adaptive")), budget_tokens: junk },
        { requiredKeys: [] },
      ),
    ),
    output_config: maybe(fc.record({ effort: junk, format: junk }, { requiredKeys: [] })),
    stop_sequences: junk,
    metadata: junk,
    stream: junk,
  },
  { requiredKeys: [] },
);

const completion = fc.record(
  {
    id: junk,
    model: junk,
    choices: maybe(
      fc.array(
        maybe(
          fc.record(
            {
              message: maybe(
                fc.record(
                  {
                    content: junk,
                    reasoning_content: junk,
                    refusal: junk,
                    tool_calls: maybe(fc.array(junk, { maxLength: 2 })),
                  },
                  { requiredKeys: [] },
                ),
              ),
              finish_reason: junk,
            },
            { requiredKeys: [] },
          ),
        ),
        { maxLength: 2 },
      ),
    ),
    usage: maybe(
      fc.record({ prompt_tokens: junk, prompt_tokens_details: junk }, { requiredKeys: [] }),
    ),
  },
  { requiredKeys: [] },
);
const message = fc.record(
  {
    id: junk,
    model: junk,
    content: maybe(fc.array(maybe(anthropicBlock), { maxLength: 3 })),
    stop_reason: junk,
    usage: junk,
  },
  { requiredKeys: [] },
);

function onlyTranslationErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!TranslationError.isInstance(error)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
  }
}

describe("converters never crash on malformed input", () => {
  const runs = { numRuns: 400 };
  it("OpenAI requests", () => {
    fc.assert(
      fc.property(openAIRequest, (r) => {
        onlyTranslationErrors(() => convertOpenAIRequestToAnthropic(r as never));
        onlyTranslationErrors(() => estimateOpenAIInputTokens(r as never));
      }),
      runs,
    );
  });
  it("Anthropic requests", () => {
    fc.assert(
      fc.property(anthropicRequest, (r) => {
        onlyTranslationErrors(() => convertAnthropicRequestToOpenAI(r as never));
        onlyTranslationErrors(() => estimateInputTokens(r as never));
      }),
      runs,
    );
  });
  it("responses", () => {
    fc.assert(
      fc.property(completion, message, (c, m) => {
        onlyTranslationErrors(() => convertOpenAIResponseToAnthropic(c as never));
        onlyTranslationErrors(() => convertAnthropicResponseToOpenAI(m as never));
      }),
      runs,
    );
  });
});
