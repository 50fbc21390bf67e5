import type { AnthropicStreamEvent, AnthropicUsage } from "@switchyard/openai-compat";
import type { CliEvent } from "../cli-runner/cli-lines.js";
import type { ResponseWriter } from "../cli-runner/response-writer.js";
import { type CodexQuotaSignal, matchCodexQuotaText } from "./quota-matcher.js";

/**
 * The token totals of `turn.completed`. They are the thread's running totals: a forked thread
 * counts its parent's turns too (see {@link subtractUsage}).
 */
export interface CodexUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens?: number;
}

/** What a run's JSONL output said, once it ended. */
export interface ConsumedCodexRun {
  /** From `thread.started`: the id a later turn forks. */
  threadId?: string;
  /** From `turn.completed`: the thread's running totals. */
  usage?: CodexUsage;
  /** This turn's own share of them (the totals less {@link ConsumeCodexOptions.previousUsage}). */
  turnUsage?: CodexUsage;
  /** True once `turn.completed` arrived. */
  completed: boolean;
  /** The message of `turn.failed` or of the last fatal `error` event. */
  errorText?: string;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

function usageOf(value: unknown): CodexUsage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const u = value as Record<string, unknown>;
  return {
    input_tokens: num(u.input_tokens),
    cached_input_tokens: num(u.cached_input_tokens),
    output_tokens: num(u.output_tokens),
    reasoning_output_tokens: num(u.reasoning_output_tokens),
  };
}

/** This turn's share of a thread's running totals (`previous`: the forked parent's totals). */
export function subtractUsage(total: CodexUsage, previous: CodexUsage | undefined): CodexUsage {
  if (previous === undefined) return total;
  const minus = (a: number, b: number | undefined) => Math.max(0, a - (b ?? 0));
  return {
    input_tokens: minus(total.input_tokens, previous.input_tokens),
    cached_input_tokens: minus(total.cached_input_tokens, previous.cached_input_tokens),
    output_tokens: minus(total.output_tokens, previous.output_tokens),
    reasoning_output_tokens: minus(
      total.reasoning_output_tokens ?? 0,
      previous.reasoning_output_tokens,
    ),
  };
}

/** Codex counts cached tokens inside `input_tokens`; Anthropic usage counts them apart. */
export function anthropicUsage(usage: CodexUsage): Partial<AnthropicUsage> {
  return {
    input_tokens: Math.max(0, usage.input_tokens - usage.cached_input_tokens),
    output_tokens: usage.output_tokens,
    cache_read_input_tokens: usage.cached_input_tokens,
  };
}

/** Options for {@link consumeCodexEvents}. */
export interface ConsumeCodexOptions {
  writer: ResponseWriter;
  /** Model the answer names. */
  model: string;
  /** Message id of the answer. */
  messageId: string;
  /** Quota signals read from error texts. */
  onSignal: (signal: CodexQuotaSignal) => void;
  /** The running totals of the thread this run forked (stored with its id), if any. */
  previousUsage?: CodexUsage;
}

/**
 * Reads a run's `codex exec --json` events as they arrive and hands the answer to `writer`
 * as Anthropic stream events (the one internal stream every dialect's writer takes):
 * a `reasoning` item becomes a thinking block, an `agent_message` a text block, and
 * `turn.completed` the stop. Codex reports whole items, not token deltas, so a stream moves
 * one item at a time. Items of tools (all disabled) are not part of the answer.
 */
export async function consumeCodexEvents(
  events: AsyncIterable<CliEvent>,
  options: ConsumeCodexOptions,
): Promise<ConsumedCodexRun> {
  const { writer } = options;
  const run: ConsumedCodexRun = { completed: false };
  let started = false;
  let index = 0;
  let signalled: string | undefined;
  const push = (event: Record<string, unknown>) => writer.push(event as AnthropicStreamEvent);
  const start = async () => {
    if (started) return;
    started = true;
    await push({
      type: "message_start",
      message: {
        id: options.messageId,
        type: "message",
        role: "assistant",
        model: options.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  };
  const block = async (kind: "text" | "thinking", text: string) => {
    await start();
    const i = index++;
    const empty = kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "" };
    const delta =
      kind === "text" ? { type: "text_delta", text } : { type: "thinking_delta", thinking: text };
    await push({ type: "content_block_start", index: i, content_block: empty });
    await push({ type: "content_block_delta", index: i, delta });
    await push({ type: "content_block_stop", index: i });
  };
  for await (const event of events) {
    if (event.type === "thread.started" && typeof event.thread_id === "string") {
      run.threadId = event.thread_id;
    } else if (event.type === "item.completed") {
      const item = event.item as { type?: unknown; text?: unknown } | undefined;
      if (typeof item?.text !== "string" || item.text.length === 0) continue;
      if (item.type === "agent_message") await block("text", item.text);
      else if (item.type === "reasoning") await block("thinking", item.text);
    } else if (event.type === "turn.completed") {
      const usage = usageOf(event.usage);
      if (usage !== undefined) {
        run.usage = usage;
        run.turnUsage = subtractUsage(usage, options.previousUsage);
      }
      run.completed = true;
      // A turn with no text (nothing to say) still answers: an empty message.
      await start();
      await push({
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        // All of it here: the stream translators take input counts from this event too.
        usage: run.turnUsage === undefined ? { output_tokens: 0 } : anthropicUsage(run.turnUsage),
      });
      await push({ type: "message_stop" });
    } else if (event.type === "turn.failed") {
      const message = (event.error as { message?: unknown } | undefined)?.message;
      if (typeof message === "string") run.errorText = message;
    } else if (event.type === "error" && typeof event.message === "string") {
      // Also the CLI's reconnect notices; only a turn that never completes makes it fatal.
      run.errorText = event.message;
    }
    // `error` and `turn.failed` usually carry the same text: one signal for it.
    const text = event.type === "turn.failed" || event.type === "error" ? run.errorText : undefined;
    if (text !== undefined && text !== signalled) {
      signalled = text;
      const signal = matchCodexQuotaText(text);
      if (signal !== undefined) options.onSignal(signal);
    }
  }
  return run;
}
