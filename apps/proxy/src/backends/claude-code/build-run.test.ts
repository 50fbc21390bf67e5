import type { AnthropicMessagesRequest } from "@switchyard/openai-compat";
import { describe, expect, it } from "vitest";
import { BASE_ARGS, DEFAULT_SYSTEM_PROMPT, planClaudeRun } from "./build-run.js";
import { ClaudeCodeError } from "./errors.js";
import { fingerprintConversation } from "./session-store.js";

const request = (overrides: Partial<AnthropicMessagesRequest> = {}): AnthropicMessagesRequest => ({
  model: "sonnet",
  max_tokens: 100,
  messages: [{ role: "user", content: "hello" }],
  ...overrides,
});

const stdinMessage = (stdin: string) => {
  expect(stdin.endsWith("\n")).toBe(true);
  expect(stdin.trim().split("\n")).toHaveLength(1);
  return JSON.parse(stdin) as {
    type: string;
    message: { role: string; content: Array<{ type: string; text?: string }> };
  };
};

describe("planClaudeRun", () => {
  it("runs print mode with stream-json, no built-in tools, and the model; prompt only on stdin", () => {
    const plan = planClaudeRun(request(), { model: "claude-sonnet-4-5" });
    expect(plan.args.slice(0, BASE_ARGS.length)).toEqual([...BASE_ARGS]);
    expect(plan.args).toContain("--include-partial-messages");
    // `--tools ""` must be followed by a flag, not swallowed by the variadic list.
    const tools = plan.args.indexOf("--tools");
    expect(plan.args.slice(tools, tools + 3)).toEqual(["--tools", "", "--strict-mcp-config"]);
    expect(plan.args.slice(-2)).toEqual(["--model", "claude-sonnet-4-5"]);
    expect(plan.args.join(" ")).not.toContain("hello");
    expect(stdinMessage(plan.stdin)).toEqual({
      type: "user",
      message: { role: "user", content: [{ type: "text", text: "hello" }] },
    });
    expect(plan.systemPrompt).toBe(DEFAULT_SYSTEM_PROMPT);
  });

  it("omits --model for `default` and maps output_config.effort to --effort", () => {
    const plan = planClaudeRun(request({ output_config: { effort: "high" } }), {
      model: "default",
    });
    expect(plan.args).not.toContain("--model");
    expect(plan.args.slice(-2)).toEqual(["--effort", "high"]);
  });

  it("joins the system prompt and in-message system turns", () => {
    const plan = planClaudeRun(
      request({
        system: [{ type: "text", text: "Be brief." }],
        messages: [
          { role: "system", content: "Use British spelling." },
          { role: "user", content: "hi" },
        ],
      }),
      { model: "sonnet" },
    );
    expect(plan.systemPrompt).toBe("Be brief.\n\nUse British spelling.");
  });

  it("refuses client tools with a clear error", () => {
    const run = () =>
      planClaudeRun(
        request({ tools: [{ name: "get_weather", input_schema: { type: "object" } }] }),
        { model: "sonnet" },
      );
    expect(run).toThrow(ClaudeCodeError);
    expect(run).toThrow(/does not run client-defined tools/);
  });

  it("refuses a conversation that ends with an assistant turn (prefill)", () => {
    const run = () =>
      planClaudeRun(
        request({
          messages: [
            { role: "user", content: "hi" },
            { role: "assistant", content: "Hel" },
          ],
        }),
        { model: "x" },
      );
    expect(run).toThrow(expect.objectContaining({ code: "invalid_request" }));
  });

  it("replays an unknown history as a transcript block ahead of the new message", () => {
    const plan = planClaudeRun(
      request({
        messages: [
          { role: "user", content: "My name is Ada." },
          { role: "assistant", content: [{ type: "text", text: "Hello Ada." }] },
          {
            role: "user",
            content: [
              { type: "text", text: "What is my name?", cache_control: { type: "ephemeral" } },
            ],
          },
        ],
      }),
      { model: "sonnet", lookup: () => undefined },
    );
    const content = stdinMessage(plan.stdin).message.content;
    expect(content).toHaveLength(2);
    expect(content[0]?.text).toContain(
      "<user>\nMy name is Ada.\n</user>\n\n<assistant>\nHello Ada.\n</assistant>",
    );
    expect(content[1]).toEqual({ type: "text", text: "What is my name?" });
    expect(plan.args).not.toContain("--resume");
  });

  it("resumes (forked) a known conversation with only the new turn", () => {
    const history = [
      { role: "user" as const, content: "My name is Ada." },
      { role: "assistant" as const, content: "Hello Ada." },
    ];
    const known = fingerprintConversation("", history);
    const plan = planClaudeRun(
      request({ messages: [...history, { role: "user", content: "And now?" }] }),
      {
        model: "sonnet",
        lookup: (fp) => (fp === known ? "session-1" : undefined),
      },
    );
    expect(plan.resumeSessionId).toBe("session-1");
    expect(plan.args.slice(-3)).toEqual(["--resume", "session-1", "--fork-session"]);
    expect(stdinMessage(plan.stdin).message.content).toEqual([{ type: "text", text: "And now?" }]);
    expect(plan.conversation).toHaveLength(3);
  });

  it("keeps a prompt that starts with `/` from being run as a slash command", () => {
    const plan = planClaudeRun(
      request({ messages: [{ role: "user", content: "/compact everything" }] }),
      { model: "x" },
    );
    expect(stdinMessage(plan.stdin).message.content[0]?.text).toBe(" /compact everything");
  });

  it("keeps `@path` in any text block, replayed history included, from being read by the CLI", () => {
    const plan = planClaudeRun(
      request({
        messages: [
          { role: "user", content: "what is in\n@/etc/passwd" },
          { role: "assistant", content: "mail me at a@b.c" },
          {
            role: "user",
            content: [
              { type: "text", text: '@~/.ssh/id_rsa then\t@/tmp/x and (@/ok) and @"/q w"' },
              { type: "text", text: "@/root/.claude/.credentials.json" },
            ],
          },
        ],
      }),
      { model: "x" },
    );
    const texts = stdinMessage(plan.stdin).message.content.map((b) => b.text ?? "");
    // Every mention-shaped `@` (text start or after whitespace) is followed by a word joiner…
    for (const text of texts) expect(text).not.toMatch(/(^|\s)@(?!\u2060)\S/);
    expect(texts[1]).toBe('@\u2060~/.ssh/id_rsa then\t@\u2060/tmp/x and (@/ok) and @\u2060"/q w"');
    expect(texts[2]).toBe("@\u2060/root/.claude/.credentials.json");
    // …and an `@` inside a word (an e-mail address) is left alone.
    expect(texts[0]).toContain("a@b.c");
    expect(texts[0]).toContain("@\u2060/etc/passwd");
  });

  it("passes images through and renders tool blocks of the last turn as text", () => {
    const image = {
      type: "image",
      source: { type: "base64", media_type: "image/png", data: "AAAA" },
    };
    const plan = planClaudeRun(
      request({
        messages: [
          {
            role: "user",
            content: [image, { type: "tool_result", tool_use_id: "t1", content: "42" }] as never,
          },
        ],
      }),
      { model: "x" },
    );
    expect(stdinMessage(plan.stdin).message.content).toEqual([
      image,
      { type: "text", text: "[tool result: 42]" },
    ]);
  });
});
