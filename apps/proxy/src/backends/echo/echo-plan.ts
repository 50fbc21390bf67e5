import type { Dialect } from "../types.js";

/**
 * What the echo backend answers, decided from the request alone (no network, no clock):
 *
 * 1. If the last message is a tool result (an Anthropic user turn of `tool_result` blocks,
 *    or an OpenAI `tool` message), the answer is the text `tool result: <its text>`. It
 *    never calls a tool then, so agent loops end.
 * 2. Else, if the request declares tools and `tool_choice` forces one (Anthropic
 *    `{type:"tool",name}` / OpenAI `{type:"function",function:{name}}`: that tool;
 *    Anthropic `any` / OpenAI `required`: the first tool), or the last user text contains
 *    `call <toolname>` for a declared tool, the answer is one call of that tool. Its input
 *    is the first `{...}` JSON object after `call <toolname>` in the text, or `{}`.
 *    `tool_choice` `none` disables tool calls.
 * 3. Else the answer is the last user message's text, verbatim (`(no text)` when empty).
 *    If a stop sequence (`stop_sequences` / `stop`) occurs in it, the text is cut before
 *    it and the stop is reported. A text longer than the request's token limit (`max_tokens`,
 *    `max_completion_tokens`) is cut at it (4 characters a token) and ends as a real model's
 *    would (`max_tokens`, `length`).
 *
 * Usage is estimated as ceil(characters / 4): input over the JSON of `system` + `messages`,
 * output over the answer.
 */
export interface EchoPlan {
  text?: string;
  tool?: { name: string; input: Record<string, unknown> };
  /** The stop sequence that cut the text, if any. */
  stopSequence?: string;
  /** The token limit cut the text. */
  truncated?: boolean;
  inputTokens: number;
  outputTokens: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Text of a string or an array of `{type:"text",text}` parts. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let out = "";
  for (const part of content) {
    if (isObject(part) && part.type === "text" && typeof part.text === "string") out += part.text;
  }
  return out;
}

/** The text of an Anthropic message's tool results, or undefined when it holds none. */
function anthropicToolResultText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  const results = content.filter((b) => isObject(b) && b.type === "tool_result") as Json[];
  if (results.length === 0) return undefined;
  return results.map((b) => textOf(b.content)).join("\n");
}

/** Declared tool names, in order. */
function toolNames(dialect: Dialect, tools: unknown): string[] {
  if (!Array.isArray(tools)) return [];
  const names: string[] = [];
  for (const tool of tools) {
    if (!isObject(tool)) continue;
    const name =
      dialect === "anthropic"
        ? tool.name
        : isObject(tool.function)
          ? tool.function.name
          : undefined;
    if (typeof name === "string") names.push(name);
  }
  return names;
}

/** The tool `tool_choice` forces, `null` when it forbids tools, undefined when it is free. */
function forcedTool(dialect: Dialect, choice: unknown, names: string[]): string | null | undefined {
  if (dialect === "anthropic" && isObject(choice)) {
    if (choice.type === "none") return null;
    if (choice.type === "any") return names[0];
    if (choice.type === "tool" && typeof choice.name === "string") return choice.name;
  }
  if (dialect === "openai") {
    if (choice === "none") return null;
    if (choice === "required") return names[0];
    if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === "string") {
      return choice.function.name;
    }
  }
  return undefined;
}

/** The first parseable `{...}` JSON object in `text`, or `{}`. */
function firstJsonObject(text: string): Record<string, unknown> {
  const start = text.indexOf("{");
  if (start < 0) return {};
  for (let end = text.lastIndexOf("}"); end > start; end = text.lastIndexOf("}", end - 1)) {
    try {
      const value: unknown = JSON.parse(text.slice(start, end + 1));
      if (isObject(value)) return value;
    } catch {
      // keep shrinking
    }
  }
  return {};
}

const estimate = (chars: number) => Math.max(1, Math.ceil(chars / 4));

/** Decides the echo answer for a parsed request body. */
export function planEcho(dialect: Dialect, body: Json): EchoPlan {
  const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  const inputTokens = estimate(
    JSON.stringify(body.system ?? "").length + JSON.stringify(messages).length,
  );
  const last = messages.at(-1);
  const done = (
    plan: Omit<EchoPlan, "inputTokens" | "outputTokens">,
    outChars: number,
  ): EchoPlan => ({
    ...plan,
    inputTokens,
    outputTokens: estimate(outChars),
  });

  if (isObject(last)) {
    const toolText =
      dialect === "openai"
        ? last.role === "tool"
          ? textOf(last.content)
          : undefined
        : last.role === "user"
          ? anthropicToolResultText(last.content)
          : undefined;
    if (toolText !== undefined)
      return done({ text: `tool result: ${toolText}` }, toolText.length + 13);
  }

  let userText = "";
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (isObject(message) && message.role === "user") {
      userText = textOf(message.content);
      break;
    }
  }

  const names = toolNames(dialect, body.tools);
  if (names.length > 0) {
    let name = forcedTool(dialect, body.tool_choice, names);
    let after = userText;
    if (name === undefined) {
      for (const candidate of names) {
        const at = userText.indexOf(`call ${candidate}`);
        if (at >= 0) {
          name = candidate;
          after = userText.slice(at + candidate.length + 5);
          break;
        }
      }
    }
    if (typeof name === "string" && names.includes(name)) {
      const input = firstJsonObject(after);
      return done({ tool: { name, input } }, JSON.stringify(input).length + name.length);
    }
  }

  let text = userText.length > 0 ? userText : "(no text)";
  const stops = dialect === "anthropic" ? body.stop_sequences : body.stop;
  const stopList = typeof stops === "string" ? [stops] : Array.isArray(stops) ? stops : [];
  let stopSequence: string | undefined;
  let cut = text.length;
  for (const stop of stopList) {
    if (typeof stop !== "string" || stop.length === 0) continue;
    const at = text.indexOf(stop);
    if (at >= 0 && at < cut) {
      cut = at;
      stopSequence = stop;
    }
  }
  text = text.slice(0, cut);
  const limit =
    dialect === "anthropic" ? body.max_tokens : (body.max_completion_tokens ?? body.max_tokens);
  if (typeof limit === "number" && limit >= 1 && estimate(text.length) > limit) {
    return { text: text.slice(0, limit * 4), truncated: true, inputTokens, outputTokens: limit };
  }
  return done(stopSequence === undefined ? { text } : { text, stopSequence }, text.length);
}
