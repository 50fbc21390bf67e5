import { matchedStop } from "../convert-openai-response-to-anthropic.js";
import { convertOpenAIFinishReasonToAnthropic } from "../stop-reason.js";
import type {
  AnthropicContentBlockDelta,
  AnthropicResponseContentBlock,
  AnthropicStopReason,
  AnthropicStreamEvent,
  AnthropicUsage,
} from "../types/anthropic.js";
import type { OpenAIToolCallDelta, OpenAIUsage } from "../types/openai.js";
import { convertOpenAIUsageToAnthropic } from "../usage.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";
import { DeltaFrame } from "./delta-frame.js";
import { createJsonDepthTracker, type JsonDepthTracker } from "./json-depth.js";
import { firstChoice, isErrorItem, randomId } from "./openai-items.js";
import {
  createOpenAITextDeltaEventScanner,
  createOpenAITextDeltaScanner,
} from "./openai-text-delta.js";
import { OpenAITextDeltaRows } from "./openai-text-delta-run.js";
import { serializeAnthropicStreamEvent } from "./serialize.js";
import {
  OPENAI_STREAM_DONE,
  STREAM_ENDED_EARLY_ERROR,
  toAnthropicErrorEvent,
} from "./stream-errors.js";

/** Options of {@link createOpenAIToAnthropicStreamTranslator}. */
export interface OpenAIToAnthropicStreamOptions {
  /** Model name to report instead of the upstream's. */
  model?: string;
  /** Message `id` to report instead of the upstream chunk id. */
  id?: string;
  /** `input_tokens` for `message_start` when known up front (e.g. counted); default 0. */
  inputTokens?: number;
  /** Makes a `tool_use` id when the upstream sends none. */
  generateToolId?: () => string;
  /** Makes the message id when the upstream chunks carry none (Gemini). */
  generateMessageId?: () => string;
}

/** A stateful OpenAI → Anthropic stream translator: one chunk in, events out. */
export interface OpenAIToAnthropicStreamTranslator {
  /** Translates one parsed OpenAI item (chunk, error object or `[DONE]`) into Anthropic events. */
  push(item: OpenAIStreamItem): AnthropicStreamEvent[];
  /** Call at end of input: completes the message if it finished, else emits an `error` event. */
  finish(): AnthropicStreamEvent[];
  /** Ends the stream with an Anthropic `error` event for `err` (generic if unknown). */
  error(err: unknown): AnthropicStreamEvent[];
  /** True once `message_stop` or an error has been emitted; later input is ignored. */
  readonly done: boolean;
  /**
   * Fast path for a chunk's raw SSE `data`: when it carries nothing but text (see
   * `openAITextDeltaLiteral`) and the message has started, the SSE that `push` +
   * `serializeAnthropicStreamEvent` would give for it (the text's literal copied as it came,
   * after the events that open a text block if none is open), without parsing the chunk.
   * Undefined for anything else: use `push`.
   */
  textDeltaSse(data: string): string | undefined;
  /**
   * {@link textDeltaSse} for a whole raw SSE event, `text.slice(start, end)`: the event must
   * be exactly `data: <chunk>\n\n`. For an `SseReader`'s `raw`.
   */
  textDeltaEventSse(text: string, start: number, end: number): string | undefined;
  /**
   * After {@link textDeltaEventSse} took the event `text.slice(start, end)`: the SSE it would
   * give for each of the text-only chunks in a row from `end` on that are shaped like that
   * one (the same bytes but for ids, model, `created` and padding), pushed to `out`; returns
   * the index after them (`end` when there are none). For an `SseReader`'s `rawRun`.
   */
  textDeltaRunSse(text: string, start: number, end: number, out: string[]): number;
}

type BlockKind = "text" | "thinking" | "tool";

interface ToolCallState {
  id: string;
  name: string;
  block: number;
  state: "queued" | "live" | "closed";
  pending: string[];
  json: JsonDepthTracker;
}

interface ActiveBlock {
  kind: BlockKind;
  index: number;
  call?: ToolCallState;
}

/** What follows a text delta's literal in an Anthropic `content_block_delta` event. */
const TEXT_DELTA_TAIL = "}}\n\n";
/** The frame before a stream's first text delta (never written: a delta makes its block's). */
const NO_FRAME = new DeltaFrame("", TEXT_DELTA_TAIL);

/**
 * Creates an OpenAI Chat Completions → Anthropic Messages stream translator. Blocks get
 * strictly increasing indices and never interleave: text, thinking (`reasoning_content` or
 * `reasoning`) and each tool call get their own block. Tool call deltas that interleave by
 * `index` are buffered until the open call's arguments form complete JSON, then replayed in
 * order. `message_delta` waits for `[DONE]` (or end of input) so a usage chunk sent after
 * the finish chunk is included.
 *
 * @example
 * const translator = createOpenAIToAnthropicStreamTranslator({ model: "gpt-4o" });
 * for (const chunk of openaiItems) {
 *   for (const event of translator.push(chunk)) res.write(serializeAnthropicStreamEvent(event));
 * }
 */
export function createOpenAIToAnthropicStreamTranslator(
  options: OpenAIToAnthropicStreamOptions = {},
): OpenAIToAnthropicStreamTranslator {
  const { generateToolId = () => randomId("toolu_"), generateMessageId = () => randomId("msg_") } =
    options;
  let started = false;
  let nextBlock = 0;
  let active: ActiveBlock | null = null;
  const calls: ToolCallState[] = [];
  const queue: ToolCallState[] = [];
  let sawToolCall = false;
  /** A `refusal` delta arrived: the turn ends with `stop_reason: "refusal"`, as unstreamed. */
  let refused = false;
  /** The stop string vLLM names in `stop_reason` on the finishing chunk, if any. */
  let matched: string | undefined;
  let finishReason: string | null = null;
  let usage: OpenAIUsage | undefined;

  function start(out: AnthropicStreamEvent[], id?: string, model?: string): void {
    started = true;
    const inputTokens =
      options.inputTokens ?? (usage ? convertOpenAIUsageToAnthropic(usage).input_tokens : 0);
    out.push({
      type: "message_start",
      message: {
        id: options.id ?? (id || generateMessageId()),
        type: "message",
        role: "assistant",
        model: options.model ?? model ?? "",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: 0 },
      },
    });
  }

  function delta(out: AnthropicStreamEvent[], index: number, d: AnthropicContentBlockDelta) {
    out.push({ type: "content_block_delta", index, delta: d });
  }

  function closeActive(out: AnthropicStreamEvent[]): void {
    if (!active) return;
    out.push({ type: "content_block_stop", index: active.index });
    if (active.call) active.call.state = "closed";
    active = null;
  }

  function open(
    out: AnthropicStreamEvent[],
    kind: BlockKind,
    block: AnthropicResponseContentBlock,
  ) {
    closeActive(out);
    const index = nextBlock++;
    out.push({ type: "content_block_start", index, content_block: block });
    active = { kind, index };
    return active;
  }

  function ensureBlock(out: AnthropicStreamEvent[], kind: "text" | "thinking"): number {
    if (active?.kind === kind) return active.index;
    // Tool calls waiting behind the open one go first, to keep the upstream order.
    flushQueue(out);
    const block: AnthropicResponseContentBlock =
      kind === "text"
        ? { type: "text", text: "" }
        : { type: "thinking", thinking: "", signature: "" };
    return open(out, kind, block).index;
  }

  function openCall(out: AnthropicStreamEvent[], call: ToolCallState): void {
    if (!call.id) call.id = generateToolId();
    const block = open(out, "tool", { type: "tool_use", id: call.id, name: call.name, input: {} });
    block.call = call;
    call.block = block.index;
    call.state = "live";
    if (call.pending.length > 0) {
      const json = call.pending.length === 1 ? (call.pending[0] as string) : call.pending.join("");
      call.pending = [];
      delta(out, block.index, { type: "input_json_delta", partial_json: json });
    }
  }

  /** Opens queued calls while the open block may be closed: not a tool still mid-arguments. */
  function promote(out: AnthropicStreamEvent[]): void {
    while (queue.length > 0) {
      const head = queue[0] as ToolCallState;
      if (!head.name) return;
      if (active?.call && !active.call.json.complete) return;
      queue.shift();
      openCall(out, head);
    }
  }

  function flushQueue(out: AnthropicStreamEvent[]): void {
    while (queue.length > 0) openCall(out, queue.shift() as ToolCallState);
  }

  /**
   * Where a tool call delta belongs: its `index`, or, from servers that omit it (Gemini,
   * older Ollama), the call with the same `id`, a new call for a new `id`, else the last one.
   */
  function slotOf(tc: OpenAIToolCallDelta): number {
    if (typeof tc.index === "number") return tc.index;
    const last = calls.length - 1;
    if (!tc.id) return Math.max(last, 0);
    for (let i = last; i >= 0; i--) if (calls[i]?.id === tc.id) return i;
    return calls.length;
  }

  function toolDelta(out: AnthropicStreamEvent[], tc: OpenAIToolCallDelta): void {
    sawToolCall = true;
    const fn = tc.function;
    const slot = slotOf(tc);
    let call = calls[slot];
    if (!call) {
      call = {
        id: "",
        name: "",
        block: -1,
        state: "queued",
        pending: [],
        json: createJsonDepthTracker(),
      };
      calls[slot] = call;
      queue.push(call);
    }
    if (tc.id && !call.id) call.id = tc.id;
    if (fn?.name && !call.name) call.name = fn.name;
    const args = fn?.arguments;
    if (args) {
      call.json.feed(args);
      // A closed call can only get more arguments if text interleaved with it; keep the
      // bytes (clients accumulate by index) rather than lose them.
      if (call.state === "queued") call.pending.push(args);
      else delta(out, call.block, { type: "input_json_delta", partial_json: args });
    }
    if (call.state === "queued") promote(out);
  }

  function complete(out: AnthropicStreamEvent[]): AnthropicStreamEvent[] {
    if (!started) start(out);
    flushQueue(out);
    closeActive(out);
    let stopReason: AnthropicStopReason | null = convertOpenAIFinishReasonToAnthropic(
      finishReason,
      {
        matchedStopSequence: matched,
      },
    );
    // OpenAI says "stop" when tool_choice forced a call (Gemini always does): Anthropic
    // clients run tools on "tool_use", so a turn that called tools must end with it.
    if (stopReason === null || (stopReason === "end_turn" && sawToolCall)) {
      stopReason = sawToolCall ? "tool_use" : "end_turn";
    }
    if (refused && stopReason === "end_turn") stopReason = "refusal";
    const final: Partial<AnthropicUsage> & { output_tokens: number } = usage
      ? convertOpenAIUsageToAnthropic(usage)
      : { output_tokens: 0 };
    out.push({
      type: "message_delta",
      delta: {
        stop_reason: stopReason,
        stop_sequence: stopReason === "stop_sequence" ? (matched ?? null) : null,
      },
      usage: final,
    });
    out.push({ type: "message_stop" });
    self.done = true;
    return out;
  }

  function fail(err: unknown): AnthropicStreamEvent[] {
    if (self.done) return [];
    self.done = true;
    return [toAnthropicErrorEvent(err)];
  }

  /** Around a text literal: `event: content_block_delta` … `"text":` for the block `deltaHeadIndex` on. */
  let frame = NO_FRAME;
  let deltaHeadIndex = -1;
  const textDeltaLiteral = createOpenAITextDeltaScanner();

  /** Rows of text-only chunks after one the per-event path took (see `textDeltaRunSse`). */
  const rows = new OpenAITextDeltaRows();
  const eventLiteral = createOpenAITextDeltaEventScanner(rows.reshaped);

  /** The SSE of a text delta in the open text block, `literal` copied as it came. */
  function textDelta(literal: string, index: number): string {
    if (deltaHeadIndex !== index) {
      deltaHeadIndex = index;
      frame = new DeltaFrame(
        `event: content_block_delta\ndata: {"type":"content_block_delta","index":${deltaHeadIndex},"delta":{"type":"text_delta","text":`,
        TEXT_DELTA_TAIL,
      );
    }
    return `${frame.head}${literal}${TEXT_DELTA_TAIL}`;
  }

  /**
   * The SSE of a text delta's chunk when no text block is open: what `push` emits before the
   * delta (the open block closed, queued calls opened, the text block started), then the delta.
   */
  function openingTextDelta(literal: string): string {
    const out: AnthropicStreamEvent[] = [];
    const index = ensureBlock(out, "text");
    let sse = "";
    for (let i = 0; i < out.length; i++) sse += serializeAnthropicStreamEvent(out[i]!);
    return sse + textDelta(literal, index);
  }

  function textDeltaSse(data: string): string | undefined {
    // Before the first chunk `push` takes the message's id and model from it: parse that one.
    if (self.done || !started) return undefined;
    const literal = textDeltaLiteral(data);
    if (literal === undefined) return undefined;
    return active?.kind === "text" ? textDelta(literal, active.index) : openingTextDelta(literal);
  }

  function textDeltaEventSse(text: string, start: number, end: number): string | undefined {
    if (self.done || !started) return undefined;
    const literal = eventLiteral(text, start, end);
    if (literal === undefined) return undefined;
    return active?.kind === "text" ? textDelta(literal, active.index) : openingTextDelta(literal);
  }

  function textDeltaRunSse(text: string, start: number, end: number, out: string[]): number {
    // Only after textDeltaEventSse took an event: a text block is open, `frame` is its.
    if (self.done || active?.kind !== "text" || deltaHeadIndex !== active.index) return end;
    const after = rows.run(text, start, end);
    frame.writeRow(rows.literals, out);
    return after;
  }

  function push(item: OpenAIStreamItem): AnthropicStreamEvent[] {
    if (self.done) return [];
    if (item === OPENAI_STREAM_DONE) return complete([]);
    if (isErrorItem(item)) return fail(item);
    const out: AnthropicStreamEvent[] = [];
    if (item.usage) usage = item.usage;
    if (!started) start(out, item.id, item.model);
    const choice = firstChoice(item.choices);
    if (!choice) return out;
    const d = choice.delta;
    if (d) {
      const reasoning = d.reasoning_content ?? d.reasoning;
      if (typeof reasoning === "string" && reasoning.length > 0) {
        delta(out, ensureBlock(out, "thinking"), { type: "thinking_delta", thinking: reasoning });
      }
      if (typeof d.refusal === "string" && d.refusal.length > 0) refused = true;
      const text = d.content || d.refusal;
      if (typeof text === "string" && text.length > 0) {
        delta(out, ensureBlock(out, "text"), { type: "text_delta", text });
      }
      const toolCalls = d.tool_calls;
      if (toolCalls) for (let i = 0; i < toolCalls.length; i++) toolDelta(out, toolCalls[i]!);
    }
    if (choice.finish_reason) {
      finishReason = choice.finish_reason;
      matched = matchedStop(choice);
      flushQueue(out);
      closeActive(out);
    }
    return out;
  }

  // `done` is a plain data property, not a getter: an accessor in a per-instance literal gives
  // every translator its own hidden class, which V8 keeps in old space and which then pins
  // the request's young objects through a minor GC.
  const self: {
    -readonly [K in keyof OpenAIToAnthropicStreamTranslator]: OpenAIToAnthropicStreamTranslator[K];
  } = {
    push,
    textDeltaSse,
    textDeltaEventSse,
    textDeltaRunSse,
    finish() {
      if (self.done) return [];
      if (finishReason !== null) return complete([]);
      return fail(STREAM_ENDED_EARLY_ERROR);
    },
    error: fail,
    done: false,
  };
  return self;
}
