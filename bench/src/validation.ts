/**
 * Request validation cost (issue 13): what the proxy adds to every request before routing:
 * strict UTF-8 check, duplicate-key/depth scan of the JSON text, and the dialect's validator.
 * Printed in µs per request next to the `JSON.parse` the proxy does anyway (the floor), for
 * the proxy benchmark's tiny chat body and a Claude Code-sized Anthropic body (system prompt,
 * 20 tools with schemas, 40 turns). Compare the µs with `proxy`'s CPU µs per request.
 */
import { isUtf8 } from "node:buffer";
import {
  REQUEST_LIMITS,
  scanJsonText,
  validateAnthropicMessagesRequest,
  validateOpenAIChatRequest,
} from "@switchyard/openai-compat";

const ROUNDS = 7;

const chat = JSON.stringify({
  model: "gpt-bench",
  stream: false,
  messages: [{ role: "user", content: "Say something short." }],
});

function claudeCodeBody(): string {
  const prose = "Use the tools to read, edit and run code. Be careful with destructive commands. ";
  const schema = (i: number) => ({
    type: "object",
    properties: {
      path: { type: "string", description: `The file to work on (${i})` },
      options: {
        type: "object",
        properties: {
          recursive: { type: "boolean" },
          limit: { type: "integer", minimum: 1 },
          mode: { type: "string", enum: ["a", "b", "c"] },
        },
      },
      items: { type: "array", items: { type: "string" } },
    },
    required: ["path"],
    additionalProperties: false,
  });
  const messages: unknown[] = [];
  for (let i = 0; i < 20; i++) {
    messages.push({ role: "user", content: [{ type: "text", text: `${prose.repeat(3)} ${i}` }] });
    messages.push({
      role: "assistant",
      content: [
        { type: "text", text: "Reading the file." },
        {
          type: "tool_use",
          id: `toolu_${i}`,
          name: `tool_${i % 20}`,
          input: { path: `/src/${i}.ts` },
        },
      ],
    });
  }
  messages.push({
    role: "user",
    content: [{ type: "tool_result", tool_use_id: "toolu_19", content: "x".repeat(2000) }],
  });
  return JSON.stringify({
    model: "claude-sonnet-4-5",
    max_tokens: 32000,
    stream: true,
    system: [{ type: "text", text: prose.repeat(120), cache_control: { type: "ephemeral" } }],
    metadata: { user_id: "user_0123456789abcdef_account_session" },
    tools: Array.from({ length: 20 }, (_, i) => ({
      name: `tool_${i}`,
      description: prose,
      input_schema: schema(i),
    })),
    messages,
  });
}

/** Best µs per call of each function over ROUNDS rounds of `n` calls, taking turns. */
function timeEach(fns: Array<() => unknown>, n: number): number[] {
  for (const fn of fns) for (let i = 0; i < n; i++) fn(); // warm-up
  const best = fns.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < ROUNDS; round++) {
    for (let f = 0; f < fns.length; f++) {
      const fn = fns[f] as () => unknown;
      const start = performance.now();
      for (let i = 0; i < n; i++) fn();
      best[f] = Math.min(best[f] as number, ((performance.now() - start) * 1000) / n);
    }
  }
  return best;
}

/** Runs the validation benchmark and prints its table. */
export async function run(): Promise<void> {
  const cases = [
    { name: "chat (proxy bench body)", text: chat, n: 50_000, validate: validateOpenAIChatRequest },
    {
      name: "Claude Code-sized messages",
      text: claudeCodeBody(),
      n: 300,
      validate: validateAnthropicMessagesRequest,
    },
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    const raw = Buffer.from(c.text);
    const value = JSON.parse(c.text) as unknown;
    const check = { checkDepth: false };
    const [parse = 0, utf8 = 0, scan = 0, validate = 0] = timeEach(
      [
        () => JSON.parse(raw.toString("utf8")),
        () => isUtf8(raw),
        () => scanJsonText(c.text, value, REQUEST_LIMITS.maxJsonDepth),
        () => c.validate(value, check),
      ],
      c.n,
    );
    const added = utf8 + scan + validate;
    const us = (x: number) => x.toFixed(2);
    rows.push([c.name, String(raw.length), us(parse), us(utf8), us(scan), us(validate), us(added)]);
  }
  const head = ["body", "bytes", "parse µs", "utf8 µs", "scan µs", "validate µs", "added µs"];
  console.log(`| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
}
