/**
 * What a request asks, whatever tool sent it: the conversation's turns (role, text, tool calls
 * and results by name and content) and whether it streams. A request translated from another
 * dialect carries another tool's system prompt, tools and parameters by construction, so a
 * cross-dialect replay matches on this. Both sides are in the cassette's dialect: the
 * recorded request as recorded, the client's after translation. A Responses body has
 * `input`; Anthropic and Chat Completions bodies have `messages` (one reading serves both:
 * Anthropic has no system turns or `tool_calls`).
 */
export function conversationOf(body: Record<string, unknown>): unknown {
  const turns = "input" in body ? responsesTurns(body.input) : messageTurns(body.messages);
  return { stream: body.stream === true, turns };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null;
const items = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** The text of a content value: a string, or its text parts joined (images etc. left out). */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  return items(content)
    .map((part) => {
      if (typeof part.text === "string") return part.text;
      if (part.type === "tool_use") return `[call ${String(part.name)}]`;
      if (part.type === "tool_result") return `[result ${textOf(part.content)}]`;
      return "";
    })
    .filter((t) => t.length > 0)
    .join("\n");
}

/** Anthropic `messages` or Chat Completions `messages` (system/developer turns left out). */
function messageTurns(messages: unknown): string[] {
  return items(messages)
    .filter((m) => m.role !== "system" && m.role !== "developer")
    .map((m) => {
      const calls = items(m.tool_calls).map((c) => `[call ${String((c.function as Json)?.name)}]`);
      const text = [textOf(m.content), ...calls].filter((t) => t.length > 0).join("\n");
      return `${m.role === "tool" ? "tool" : String(m.role)}: ${text}`;
    });
}

/** Responses `input`: a string, or items (messages, function calls and their outputs). */
function responsesTurns(input: unknown): string[] {
  if (typeof input === "string") return [`user: ${input}`];
  return items(input).flatMap((i) => {
    if (i.type === "function_call") return [`assistant: [call ${String(i.name)}]`];
    if (i.type === "function_call_output") return [`tool: ${textOf(i.output)}`];
    // Messages only (reasoning items and the like say nothing the other side sent).
    if (typeof i.role !== "string" || i.role === "system" || i.role === "developer") return [];
    return [`${i.role}: ${textOf(i.content)}`];
  });
}
