import type { AnthropicMessagesRequest } from "@switchyard/openai-compat";
import { renderTranscript } from "../claude-code/build-run.js";
import type { FingerprintMessage } from "../claude-code/session-store.js";
import { hasClientTools } from "../cli-runner/client-tools.js";
import { blocksOf, splitConversation } from "../cli-runner/conversation.js";
import { CodexError } from "./errors.js";

/**
 * The instructions used when the caller sends no system prompt. Without them the CLI would
 * use Codex's own coding-agent prompt, which is not what an API caller asked for.
 */
export const DEFAULT_INSTRUCTIONS = "You are a helpful assistant.";

/**
 * Flags every run gets, after `exec` (and after `fork` when continuing a conversation):
 * JSONL events, no git check, the read-only sandbox with no approvals, and every tool and
 * feature that reads local files, runs commands or reaches the network beyond the model API
 * turned off (shell, patching, images, web search, apps, plugins, hooks, sub-agents, skills,
 * update checks, analytics, feedback). The user's prompts stay out of Codex's own prompt
 * history; the session itself is kept, because a later turn forks it.
 */
export const BASE_ARGS: readonly string[] = [
  "--json",
  "--skip-git-repo-check",
  ...["-c", 'approval_policy="never"'],
  ...["-c", 'sandbox_mode="read-only"'],
  ...["-c", 'web_search="disabled"'],
  ...["-c", "check_for_update_on_startup=false"],
  ...["-c", "analytics.enabled=false"],
  ...["-c", "feedback.enabled=false"],
  ...["-c", 'history.persistence="none"'],
  ...["-c", "skills.include_instructions=false"],
  ...["-c", "include_apps_instructions=false"],
  ...["-c", "include_environment_context=false"],
  ...["-c", "tools.experimental_request_user_input.enabled=false"],
  ...[
    "shell_tool",
    "unified_exec",
    "view_image",
    "image_generation",
    "multi_agent",
    "goals",
    "apps",
    "plugins",
    "remote_plugin",
    "plugin_sharing",
    "hooks",
    "browser_use",
    "browser_use_external",
    "computer_use",
    "tool_suggest",
    "skill_search",
    "skill_mcp_dependency_install",
    "in_app_updates",
    "memories",
  ].flatMap((feature) => ["--disable", feature]),
];

/** One `codex exec` run planned from a Messages request. */
export interface CodexRunPlan {
  /** CLI arguments, without the instructions file, MCP switches and configured extra arguments. */
  args: string[];
  /** The system prompt for `model_instructions_file` (a 0600 temp file, never argv). */
  instructions: string;
  /** The prompt, written to stdin (`-` as the prompt argument). */
  stdin: string;
  /** The Codex thread this run forks, when the conversation was seen before. */
  resumeSessionId?: string;
  /** System prompt text, part of every fingerprint. */
  system: string;
  /** The conversation including the new user turn; the answer is appended to fingerprint it. */
  conversation: FingerprintMessage[];
}

/** Options for {@link planCodexRun}. */
export interface PlanCodexRunOptions {
  /** Model for `--model`; omitted when empty or `default`. */
  model: string;
  /** Finds the Codex thread for a conversation fingerprint. */
  lookup?: (fingerprint: string) => string | undefined;
  /** Reasoning effort the client asked for (see {@link requestedEffort}). */
  effort?: string;
}

/**
 * The reasoning effort a client asked for, in its own dialect: Chat Completions
 * `reasoning_effort`, Responses `reasoning.effort`, Anthropic `output_config.effort`. It goes
 * to the CLI as `model_reasoning_effort`; the CLI's model API judges the value.
 */
export function requestedEffort(body: Record<string, unknown>): string | undefined {
  const reasoning = body.reasoning as { effort?: unknown } | undefined;
  const output = body.output_config as { effort?: unknown } | undefined;
  const effort = body.reasoning_effort ?? reasoning?.effort ?? output?.effort;
  return typeof effort === "string" && /^[a-z]{1,16}$/.test(effort) ? effort : undefined;
}

/** `$` where Codex reads a skill or app mention: before a name character. */
const MENTION = /\$(?=[A-Za-z0-9_-])/g;

/**
 * Makes `$name` and `[$name](path)` in text the client sent plain text for Codex. In a
 * prompt, Codex replaces a mention of one of the user's skills (`$skill`, or a link to its
 * `SKILL.md`) with that file's contents, and `$app` mentions switch on the user's apps:
 * any client of the proxy could pull local files into the model's context. A WORD JOINER
 * (U+2060, invisible) after the `$` keeps the text as written for the model and makes it no
 * mention for Codex (its mention names are ASCII letters, digits, `_` and `-` only).
 */
export function neutralizeCodexMentions(text: string): string {
  return text.includes("$") ? text.replace(MENTION, "$\u2060") : text;
}

/** Throws `client_tools` when a request (either dialect) defines tools or OpenAI `functions`. */
export function assertNoCodexClientTools(body: Record<string, unknown>): void {
  if (!hasClientTools(body)) return;
  throw new CodexError(
    "client_tools",
    "the codex backend does not run client-defined tools: it reaches the model through the Codex CLI, which runs only its own tools (disabled here) and cannot hand a call back to you. Remove `tools` or route this request to an API backend.",
  );
}

/** The new user turn as prompt text; anything but text is refused rather than dropped. */
function promptText(content: unknown): string {
  const parts: string[] = [];
  for (const block of blocksOf(content)) {
    if (block.type === "text" && typeof block.text === "string") parts.push(block.text);
    else {
      throw new CodexError(
        "invalid_request",
        `the codex backend takes text only in the new user message (got a ${String(block.type)} block)`,
      );
    }
  }
  return parts.join("\n");
}

/**
 * Maps a Messages request onto one `codex exec` run. Client tools are refused; a
 * conversation seen before forks its Codex thread (`exec fork <id>`) with only the new
 * turn; an unknown history is replayed in one run as a transcript block ahead of the new
 * message.
 */
export function planCodexRun(
  request: AnthropicMessagesRequest,
  options: PlanCodexRunOptions,
): CodexRunPlan {
  assertNoCodexClientTools(request as unknown as Record<string, unknown>);
  const { conversation, last, history, system, resumeSessionId } = splitConversation(request, {
    backend: "codex",
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
  });
  let prompt = promptText(last.content);
  if (resumeSessionId === undefined && history.length > 0) {
    prompt = `${renderTranscript(history)}\n\n${prompt}`;
  }
  const args = resumeSessionId === undefined ? ["exec"] : ["exec", "fork"];
  args.push(...BASE_ARGS);
  const model = options.model.trim();
  if (model.length > 0 && model !== "default") args.push("--model", model);
  const effort = options.effort ?? requestedEffort(request as unknown as Record<string, unknown>);
  if (effort !== undefined) args.push("-c", `model_reasoning_effort=${JSON.stringify(effort)}`);
  return {
    args,
    instructions: system.length > 0 ? system : DEFAULT_INSTRUCTIONS,
    stdin: neutralizeCodexMentions(prompt),
    system,
    conversation,
    ...(resumeSessionId === undefined ? {} : { resumeSessionId }),
  };
}

/**
 * The whole argument array: the plan's flags, the instructions file, one switch per MCP
 * server of the user's to turn it off, the configured extra arguments, then the thread to
 * fork (if any) and `-` (the prompt comes on stdin).
 */
export function codexArgs(
  plan: CodexRunPlan,
  options: { instructionsFile: string; mcpServers: readonly string[]; extra?: readonly string[] },
): string[] {
  const mcp = options.mcpServers.flatMap((name) => [
    "-c",
    `mcp_servers.${/^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name)}.enabled=false`,
  ]);
  return [
    ...plan.args,
    "-c",
    `model_instructions_file=${JSON.stringify(options.instructionsFile)}`,
    ...mcp,
    ...(options.extra ?? []),
    ...(plan.resumeSessionId === undefined ? [] : [plan.resumeSessionId]),
    "-",
  ];
}
