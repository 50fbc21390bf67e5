/**
 * Property: OpenAI → Anthropic → OpenAI keeps every field both APIs can express.
 *
 * The generated requests stay inside that common subset. `canonical` applies only the
 * equivalences the README documents as lossy-in-shape (string content ≡ one text part,
 * system messages folded into one, tool message text joined, `stop` string ≡ one-item
 * array, image `detail` dropped, schema name, the default max_tokens, temperature clamp,
 * `parallel_tool_calls: true` ≡ absent, `reasoning_effort` dropped, with `unsupportedParameters:
 * "drop"`, when `tool_choice` forces a tool); everything else must come back unchanged.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  convertAnthropicRequestToOpenAI,
  convertOpenAIRequestToAnthropic,
  DEFAULT_REASONING_BUDGETS,
  type OpenAIChatRequest,
  type OpenAIContentPart,
  type OpenAIMessage,
  type OpenAITool,
} from "../src/index.js";

const text = fc.string({ minLength: 1, maxLength: 40 });
const stopText = text.filter((t) => t.trim() !== "");
const id = fc.stringMatching(/^call_[A-Za-z0-9]{1,12}$/);
const toolName = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);
const base64 = fc.base64String({ minLength: 4, maxLength: 40 });

const userPart: fc.Arbitrary<OpenAIContentPart> = fc.oneof(
  text.map((t) => ({ type: "text" as const, text: t })),
  fc
    .tuple(
      fc.constantFrom("image/png", "image/jpeg", "image/gif", "image/webp"),
      base64,
      fc.option(fc.constantFrom("low" as const, "high" as const), { nil: undefined }),
    )
    .map(([mime, data, detail]) => ({
      type: "image_url" as const,
      image_url: { url: `data:${mime};base64,${data}`, ...(detail ? { detail } : {}) },
    })),
  fc.webPath().map((path) => ({
    type: "image_url" as const,
    image_url: { url: `https://example.com${path}` },
  })),
  // OpenAI requires a filename with file_data, so valid requests always carry one.
  fc.tuple(base64, text).map(([data, filename]) => ({
    type: "file" as const,
    file: { file_data: `data:application/pdf;base64,${data}`, filename },
  })),
);

const userMessage: fc.Arbitrary<OpenAIMessage> = fc
  .oneof(text, fc.array(userPart, { minLength: 1, maxLength: 3 }))
  .map((content) => ({ role: "user" as const, content }));

const args = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
  .map((o) => JSON.stringify(o));

/** An assistant turn, optionally with tool calls each answered by a tool message. */
const assistantTurn: fc.Arbitrary<OpenAIMessage[]> = fc
  .tuple(
    fc.option(text, { nil: null }),
    fc.uniqueArray(fc.record({ id, name: toolName, arguments: args }), {
      maxLength: 3,
      selector: (c) => c.id,
    }),
    fc.array(fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 2 })), {
      minLength: 3,
      maxLength: 3,
    }),
  )
  .map(([content, calls, results]) => {
    if (calls.length === 0) return [{ role: "assistant" as const, content: content ?? "ok" }];
    const assistant: OpenAIMessage = {
      role: "assistant",
      content,
      tool_calls: calls.map((c) => ({
        id: c.id,
        type: "function" as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    };
    const tools: OpenAIMessage[] = calls.map((c, i) => {
      const result = results[i]!;
      return {
        role: "tool",
        tool_call_id: c.id,
        content:
          typeof result === "string"
            ? result
            : result.map((t) => ({ type: "text" as const, text: t })),
      };
    });
    return [assistant, ...tools];
  });

const systemMessages: fc.Arbitrary<OpenAIMessage[]> = fc.array(
  fc.record({
    role: fc.constantFrom("system" as const, "developer" as const),
    content: fc.oneof(
      text,
      fc.array(
        text.map((t) => ({ type: "text" as const, text: t })),
        { minLength: 1, maxLength: 2 },
      ),
    ),
  }),
  { maxLength: 2 },
);

/** user (assistant-turn user)* [assistant-turn]: never two plain user messages in a row. */
const conversation: fc.Arbitrary<OpenAIMessage[]> = fc
  .tuple(
    systemMessages,
    userMessage,
    fc.array(fc.tuple(assistantTurn, userMessage), { maxLength: 3 }),
    fc.option(assistantTurn, { nil: undefined }),
  )
  .map(([system, first, turns, last]) => [
    ...system,
    first,
    ...turns.flatMap(([a, u]) => [...a, u]),
    ...(last ?? []),
  ]);

const tools: fc.Arbitrary<OpenAITool[]> = fc
  .uniqueArray(
    fc.record(
      {
        name: toolName,
        description: text,
        parameters: fc.constant({ type: "object", properties: { q: { type: "string" } } }),
      },
      { requiredKeys: ["name", "parameters"] },
    ),
    { maxLength: 3, selector: (t) => t.name },
  )
  .map((fns) => fns.map((fn) => ({ type: "function" as const, function: fn })));

const request: fc.Arbitrary<OpenAIChatRequest> = fc
  .record(
    {
      messages: conversation,
      tools,
      toolChoice: fc.constantFrom(undefined, "auto", "none", "required", "named"),
      parallel: fc.constantFrom(undefined, true, false),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      top_p: fc.double({ min: 0, max: 1, noNaN: true }),
      top_k: fc.integer({ min: 1, max: 500 }),
      // Whitespace-only stops have no Anthropic equivalent (refused, see the parameter tests).
      stop: fc.oneof(stopText, fc.array(stopText, { minLength: 1, maxLength: 4 })),
      maxField: fc.constantFrom("max_tokens", "max_completion_tokens"),
      max: fc.integer({ min: 20_000, max: 64_000 }),
      user: text,
      stream: fc.boolean(),
      includeUsage: fc.boolean(),
      reasoning_effort: fc.constantFrom("low", "medium", "high"),
      schema: fc.record({
        name: toolName,
        schema: fc.constant({ type: "object", properties: { a: { type: "number" } } }),
        strict: fc.boolean(),
      }),
    },
    { requiredKeys: ["messages"] },
  )
  .map((r) => {
    const out: OpenAIChatRequest = { model: "m", messages: r.messages };
    if (r.tools && r.tools.length > 0) {
      out.tools = r.tools;
      if (r.toolChoice === "named")
        out.tool_choice = { type: "function", function: { name: r.tools[0]!.function.name } };
      else if (r.toolChoice) out.tool_choice = r.toolChoice as OpenAIChatRequest["tool_choice"];
      if (r.parallel !== undefined) out.parallel_tool_calls = r.parallel;
    }
    for (const key of [
      "temperature",
      "top_p",
      "top_k",
      "stop",
      "user",
      "reasoning_effort",
    ] as const) {
      if (r[key] !== undefined) (out as Record<string, unknown>)[key] = r[key];
    }
    if (r.max !== undefined) out[r.maxField ?? "max_tokens"] = r.max;
    if (r.stream !== undefined) {
      out.stream = r.stream;
      if (r.stream && r.includeUsage !== undefined)
        out.stream_options = { include_usage: r.includeUsage };
    }
    if (r.schema) out.response_format = { type: "json_schema", json_schema: r.schema };
    return out;
  });

const textOf = (content: unknown): string[] =>
  typeof content === "string" ? [content] : (content as Array<{ text: string }>).map((p) => p.text);

/** Applies the documented shape equivalences and defaults (see the file comment). */
function canonical(input: OpenAIChatRequest): Record<string, unknown> {
  const r: Record<string, unknown> = { ...input };
  const system = input.messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .flatMap((m) => textOf(m.content));
  const rest = input.messages
    .filter((m) => m.role !== "system" && m.role !== "developer")
    .map((m) => {
      if (m.role === "user") {
        const parts: OpenAIContentPart[] =
          typeof m.content === "string" ? [{ type: "text", text: m.content }] : m.content;
        return {
          ...m,
          content: parts.map((p) =>
            p.type === "image_url" ? { type: "image_url", image_url: { url: p.image_url.url } } : p,
          ),
        };
      }
      if (m.role === "tool") return { ...m, content: textOf(m.content).join("\n") };
      return m;
    });
  r.messages =
    system.length > 0 ? [{ role: "system", content: system.join("\n\n") }, ...rest] : rest;

  // Anthropic takes no thinking with a forced tool: the forced call wins.
  const forced = input.tool_choice === "required" || typeof input.tool_choice === "object";
  if (forced) delete r.reasoning_effort;
  const budget =
    input.reasoning_effort && !forced
      ? (DEFAULT_REASONING_BUDGETS[input.reasoning_effort] ?? 0)
      : 0;
  r.max_tokens = input.max_completion_tokens ?? input.max_tokens ?? 4096 + budget;
  delete r.max_completion_tokens;
  if (typeof input.temperature === "number") r.temperature = Math.min(1, input.temperature);
  if (typeof input.stop === "string") r.stop = [input.stop];
  if (input.stream) r.stream_options = { include_usage: true };
  else delete r.stream_options;
  if (input.response_format?.type === "json_schema") {
    r.response_format = {
      type: "json_schema",
      json_schema: { name: "response", schema: input.response_format.json_schema.schema },
    };
  }
  if (input.parallel_tool_calls === true) delete r.parallel_tool_calls;
  if (input.tool_choice === "none") delete r.parallel_tool_calls;
  if (input.tool_choice === undefined && input.parallel_tool_calls === false)
    r.tool_choice = "auto";
  return r;
}

describe("OpenAI → Anthropic → OpenAI round trip", () => {
  it("keeps every field both APIs can express", () => {
    fc.assert(
      fc.property(request, (original) => {
        const anthropic = convertOpenAIRequestToAnthropic(original, {
          responseFormat: "output-config",
          unsupportedParameters: "drop",
        });
        const back = convertAnthropicRequestToOpenAI(anthropic, { topK: "pass-through" });
        expect(canonical(back)).toEqual(canonical(original));
      }),
      { numRuns: 300 },
    );
  });

  it("produces Anthropic turns that alternate roles and lead with tool results", () => {
    fc.assert(
      fc.property(request, (original) => {
        const { messages } = convertOpenAIRequestToAnthropic(original, {
          responseFormat: "output-config",
          unsupportedParameters: "drop",
        });
        messages.forEach((message, i) => {
          if (i > 0) expect(message.role).not.toBe(messages[i - 1]!.role);
          if (Array.isArray(message.content)) {
            const firstOther = message.content.findIndex((b) => b.type !== "tool_result");
            const lastResult = message.content.map((b) => b.type).lastIndexOf("tool_result");
            if (firstOther !== -1) expect(lastResult).toBeLessThan(firstOther);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});
