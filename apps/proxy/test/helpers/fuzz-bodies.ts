import fc from "fast-check";

/**
 * Request bodies of both dialects for the fuzz suite: each field either valid or replaced by
 * a value a hostile (or buggy) client sends, and the JSON text either sound or spoiled.
 */

/** Values an attacker (or a buggy client) puts where a field belongs. */
export const weird = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom("yes", "64", 42, -1, 0, 99, 1e308, null, "", [], {}, [42], { type: 42 }),
  fc.string({ maxLength: 300 }),
  fc.constant("m".repeat(5000)),
);
/** Body arbitraries whose fields pass through `maybe` (identity: valid bodies only). */
function bodies(maybe: <T>(valid: fc.Arbitrary<T>) => fc.Arbitrary<unknown>) {
  const text = fc.string({ maxLength: 40 });
  const openAIPart = fc.oneof(
    fc.record({ type: fc.constant("text"), text: maybe(text) }),
    fc.record({
      type: maybe(fc.constant("image_url")),
      image_url: maybe(fc.record({ url: text })),
    }),
    maybe(fc.record({ type: fc.constant("refusal"), refusal: text })),
  );
  const openAIMessage = fc.record(
    {
      role: maybe(fc.constantFrom("user", "assistant", "system", "developer", "tool")),
      content: maybe(fc.oneof(text, fc.array(openAIPart, { maxLength: 3 }))),
      tool_call_id: maybe(text),
      tool_calls: maybe(fc.constant([])),
    },
    { requiredKeys: ["role", "content"] },
  );
  const openAIBody = fc.record(
    {
      messages: maybe(fc.array(openAIMessage, { minLength: 1, maxLength: 4 })),
      stream: maybe(fc.boolean()),
      temperature: maybe(fc.double({ min: 0, max: 2, noNaN: true })),
      top_p: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
      max_tokens: maybe(fc.integer({ min: 1, max: 4096 })),
      stop: maybe(fc.oneof(text, fc.array(text, { maxLength: 4 }))),
      n: maybe(fc.constant(1)),
      tools: maybe(
        fc.array(
          fc.record({
            type: maybe(fc.constant("function")),
            function: maybe(
              fc.record({
                name: maybe(fc.constantFrom("f", "get_weather")),
                parameters: maybe(fc.constant({ type: "object" })),
              }),
            ),
          }),
          { maxLength: 2 },
        ),
      ),
      tool_choice: maybe(fc.constantFrom("auto", "none", "required")),
      user: maybe(text),
      metadata: maybe(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 64 }), fc.string({ maxLength: 512 }), {
          maxKeys: 16,
        }),
      ),
      response_format: maybe(fc.constant({ type: "json_object" })),
      stream_options: maybe(fc.constant({ include_usage: true })),
      extra_field: weird,
    },
    { requiredKeys: ["messages"] },
  );

  const anthropicBlock = fc.oneof(
    fc.record({ type: fc.constant("text"), text: maybe(text) }),
    fc.record({
      type: fc.constant("image"),
      source: maybe(
        fc.record({
          type: fc.constant("base64"),
          media_type: fc.constant("image/png"),
          data: text,
        }),
      ),
    }),
    fc.record({ type: fc.constant("tool_result"), tool_use_id: maybe(text), content: maybe(text) }),
    fc.record({
      type: fc.constant("tool_use"),
      id: maybe(fc.constant("toolu_1")),
      name: maybe(fc.constant("f")),
      input: maybe(fc.constant({})),
    }),
    weird,
  );
  const anthropicMessage = fc.record(
    {
      role: maybe(fc.constantFrom("user", "assistant", "system")),
      content: maybe(fc.oneof(text, fc.array(anthropicBlock, { maxLength: 3 }))),
    },
    { requiredKeys: ["role", "content"] },
  );
  const anthropicBody = fc.record(
    {
      messages: maybe(fc.array(anthropicMessage, { minLength: 1, maxLength: 4 })),
      max_tokens: maybe(fc.integer({ min: 1, max: 4096 })),
      stream: maybe(fc.boolean()),
      system: maybe(
        fc.oneof(text, fc.array(fc.record({ type: fc.constant("text"), text }), { maxLength: 2 })),
      ),
      temperature: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
      top_k: maybe(fc.integer({ min: 0, max: 100 })),
      stop_sequences: maybe(fc.array(text, { maxLength: 3 })),
      tools: maybe(
        fc.array(
          fc.record({
            name: maybe(fc.constant("f")),
            input_schema: maybe(fc.constant({ type: "object" })),
          }),
          { maxLength: 2 },
        ),
      ),
      tool_choice: maybe(fc.record({ type: fc.constantFrom("auto", "any", "none") })),
      metadata: maybe(fc.record({ user_id: maybe(text) })),
      thinking: maybe(
        fc.record({
          type: fc.constant("enabled"),
          budget_tokens: fc.integer({ min: 1024, max: 2048 }),
        }),
      ),
      extra_field: weird,
    },
    { requiredKeys: ["messages", "max_tokens"] },
  );
  return { openAIBody, anthropicBody };
}

const valid = bodies((arbitrary) => arbitrary);
const spoiled = bodies((arbitrary) => fc.oneof({ weight: 8, arbitrary }, weird));

/** OpenAI Chat Completions bodies (without `model`): half valid, half with spoiled fields. */
export const openAIBodies = fc.oneof(valid.openAIBody, spoiled.openAIBody);
/** Anthropic Messages bodies (without `model`): half valid, half with spoiled fields. */
export const anthropicBodies = fc.oneof(valid.anthropicBody, spoiled.anthropicBody);

/** How the JSON text is spoiled on its way (or not). */
export const encoding = fc.oneof(
  { weight: 5, arbitrary: fc.constant("json") },
  fc.constantFrom("duplicate", "utf8", "deep", "truncated", "not-object"),
);

/** The body as bytes, spoiled as `how` says (`cut`: where a truncated body ends, 0-1). */
export function encode(
  body: Record<string, unknown>,
  how: string,
  cut: number,
): Uint8Array<ArrayBuffer> {
  const json = JSON.stringify(body);
  const bytes = (s: string) => new Uint8Array(Buffer.from(s));
  switch (how) {
    case "duplicate":
      return bytes(`{"model":"claude-test",${json.slice(1)}`);
    case "utf8":
      return new Uint8Array(
        Buffer.concat([
          Buffer.from(`${json.slice(0, -1)},"x":"`),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('"}'),
        ]),
      );
    case "deep":
      return bytes(`{"deep":${"[".repeat(400)}${"]".repeat(400)},${json.slice(1)}`);
    case "truncated":
      return bytes(json.slice(0, Math.max(1, Math.floor(json.length * cut))));
    case "not-object":
      return bytes(JSON.stringify(body.messages ?? null));
    default:
      return bytes(json);
  }
}
