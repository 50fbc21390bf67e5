import type { AnthropicMessagesRequest } from "@switchyard/openai-compat";
import { hasClientTools } from "../cli-runner/client-tools.js";
import { type Block, blocksOf, splitConversation, textOf } from "../cli-runner/conversation.js";
import { ClaudeCodeError } from "./errors.js";
import type { FingerprintMessage } from "./session-store.js";

/**
 * The system prompt used when the caller sends none. Without `--system-prompt` the CLI would
 * use Claude Code's own coding-agent prompt, which is not what an API caller asked for.
 */
export const DEFAULT_SYSTEM_PROMPT = "You are Claude, a helpful AI assistant.";

/**
 * Flags every run gets: print mode, stream-json in and out (with partial messages, so text
 * streams as it arrives), and none of Claude Code's own tools, MCP servers or slash commands.
 * `--tools ""` must be followed by another flag: `--tools` takes a variadic list.
 */
export const BASE_ARGS: readonly string[] = [
  "-p",
  "--input-format",
  "stream-json",
  "--output-format",
  "stream-json",
  "--verbose",
  "--include-partial-messages",
  "--tools",
  "",
  "--strict-mcp-config",
  "--disable-slash-commands",
];

/** One `claude -p` run planned from a Messages request. */
export interface ClaudeRunPlan {
  /** CLI arguments, without the system prompt file and the configured extra arguments. */
  args: string[];
  /** The system prompt to hand the CLI with `--system-prompt-file` (never via argv: size, `ps`). */
  systemPrompt: string;
  /** One stream-json user message line (the new turn, or the replayed history plus it). */
  stdin: string;
  /** The CLI session this run continues (forked), when the conversation was seen before. */
  resumeSessionId?: string;
  /** System prompt text, part of every fingerprint. */
  system: string;
  /** The conversation including the new user turn; the answer is appended to fingerprint it. */
  conversation: FingerprintMessage[];
}

/** Options for {@link planClaudeRun}. */
export interface PlanClaudeRunOptions {
  /** Model for `--model`; omitted when empty or `default`. */
  model: string;
  /** Finds the CLI session for a conversation fingerprint. */
  lookup?: (fingerprint: string) => string | undefined;
}

/** Renders one block of an earlier turn as transcript text. */
function renderBlock(block: Block): string {
  switch (block.type) {
    case "text":
      return typeof block.text === "string" ? block.text : "";
    case "thinking":
    case "redacted_thinking":
      return "";
    case "image":
      return "[image]";
    case "document":
      return "[document]";
    case "tool_use":
      return `[tool call ${String(block.name)}: ${JSON.stringify(block.input ?? {})}]`;
    case "tool_result":
      return `[tool result: ${typeof block.content === "string" ? block.content : textOf(block.content)}]`;
    default:
      return `[${String(block.type)}]`;
  }
}

/**
 * Renders earlier turns as a transcript the model continues from. Used when the proxy has
 * not seen the conversation before (`--input-format stream-json` cannot carry assistant
 * turns faithfully: the CLI answers each user line in turn and reorders assistant lines).
 */
export function renderTranscript(messages: readonly FingerprintMessage[]): string {
  const turns = messages.map((m) => {
    const body = blocksOf(m.content)
      .map(renderBlock)
      .filter((t) => t.length > 0)
      .join("\n");
    return `<${m.role}>\n${body}\n</${m.role}>`;
  });
  return [
    "<conversation_history>",
    "The conversation so far, oldest turn first. Continue it: answer the user's new message, which follows the history, as the assistant.",
    "",
    turns.join("\n\n"),
    "</conversation_history>",
  ].join("\n");
}

/** Content blocks the CLI accepts in a user message as they are; others become text. */
const PASS_THROUGH = new Set(["text", "image", "document"]);

function userBlocks(content: unknown): Block[] {
  return blocksOf(content).map((block) => {
    if (!PASS_THROUGH.has(String(block.type))) return { type: "text", text: renderBlock(block) };
    const { cache_control: _dropped, ...rest } = block;
    return rest;
  });
}

/** `@` where the CLI reads a file mention: at the start of the text or after whitespace. */
const MENTION = /(^|\s)@(?=\S)/g;

/**
 * Makes `@path` in text the client sent plain text for the CLI. In a prompt, the CLI replaces
 * `@/any/path` (at the start of the text or after whitespace) with that file's contents, or a
 * directory's listing, even with every tool disabled: any client of the proxy could read any
 * file the proxy's user can. A WORD JOINER (U+2060, invisible) after such an `@` keeps the
 * text as written for the model and makes it no mention for the CLI.
 */
export function neutralizeMentions(text: string): string {
  return text.includes("@") ? text.replace(MENTION, "$1@\u2060") : text;
}

/** Throws `client_tools` when a request (either dialect) defines tools or OpenAI `functions`. */
export function assertNoClientTools(body: Record<string, unknown>): void {
  if (!hasClientTools(body)) return;
  throw new ClaudeCodeError(
    "client_tools",
    "the claude-code backend does not run client-defined tools: it reaches Claude through the Claude Code CLI, which runs only its own tools (disabled here). Remove `tools` or route this request to an API backend.",
  );
}

/**
 * Maps a Messages request onto one CLI run. A request with client tools is refused (this
 * backend does not run client tools); a conversation seen before resumes its CLI session
 * with `--resume <id> --fork-session` and only the new turn; an unknown history is replayed
 * in one run as a transcript block ahead of the new message.
 */
export function planClaudeRun(
  request: AnthropicMessagesRequest,
  options: PlanClaudeRunOptions,
): ClaudeRunPlan {
  assertNoClientTools(request as unknown as Record<string, unknown>);
  const { conversation, last, history, system, resumeSessionId } = splitConversation(request, {
    backend: "claude-code",
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
  });
  const content = userBlocks(last.content);
  const first = content[0];
  if (first?.type === "text" && typeof first.text === "string" && first.text.startsWith("/")) {
    // The CLI treats a prompt starting with "/" as a slash command even with
    // --disable-slash-commands; one leading space makes it plain text.
    content[0] = { ...first, text: ` ${first.text}` };
  }
  if (resumeSessionId === undefined && history.length > 0) {
    content.unshift({ type: "text", text: renderTranscript(history) });
  }
  for (let i = 0; i < content.length; i++) {
    const block = content[i];
    if (block?.type === "text" && typeof block.text === "string") {
      content[i] = { ...block, text: neutralizeMentions(block.text) };
    }
  }
  const stdin = `${JSON.stringify({ type: "user", message: { role: "user", content } })}\n`;
  const args = [...BASE_ARGS];
  const model = options.model.trim();
  if (model.length > 0 && model !== "default") args.push("--model", model);
  const effort = request.output_config?.effort;
  if (typeof effort === "string") args.push("--effort", effort);
  if (resumeSessionId !== undefined) args.push("--resume", resumeSessionId, "--fork-session");
  return {
    args,
    systemPrompt: system.length > 0 ? system : DEFAULT_SYSTEM_PROMPT,
    stdin,
    system,
    conversation,
    ...(resumeSessionId === undefined ? {} : { resumeSessionId }),
  };
}
