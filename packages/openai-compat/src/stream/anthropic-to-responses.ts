import {
  encryptedRedactedThinking,
  encryptedThinking,
  includesEncryptedReasoning,
} from "../internal/reasoning-carry.js";
import { createResponseShell, responsesId } from "../internal/response-shell.js";
import {
  convertAnthropicUsageToResponses,
  itemIds,
  responsesStatusForStopReason,
} from "../internal/responses-output.js";
import { toolCallItem, toolOrigins } from "../internal/responses-tool-names.js";
import type { AnthropicStreamEvent, AnthropicUsage } from "../types/anthropic.js";
import type {
  ResponsesOutputItem,
  ResponsesResponse,
  ResponsesStreamEvent,
} from "../types/responses.js";
import {
  indexAt,
  newBlock,
  type OpenBlock,
  TEXT_DELTA,
  TEXT_DELTA_HEAD_LENGTH,
} from "./anthropic-blocks.js";
import { flatString } from "./delta-frame.js";
import {
  createTextDeltaEventScanner,
  TEXT_DELTA_EVENT_HEAD,
  textDeltaLiteral,
  textDeltaLiterals,
} from "./json-literal.js";
import { quote } from "./json-quote.js";
import { toResponsesError } from "./responses-errors.js";
import {
  emitMessageDone,
  messageAddedHead,
  partAddedHead,
  ResponsesEventWriter,
} from "./responses-prebuilt.js";
import {
  canonicalTextJson,
  decodeTextLiteral as decode,
  encodeTextLiteral as encode,
  outputTextDeltaHead,
  outputTextDeltaSse,
  rememberTextJson,
  writeTextDeltaRow,
} from "./responses-text-delta.js";
import type {
  ToResponsesStreamOptions,
  ToResponsesStreamTranslator,
} from "./responses-translator.js";
import { STREAM_ENDED_EARLY_ERROR } from "./stream-errors.js";

/** An Anthropic → Responses stream translator, with a fast path for raw text deltas. */
export interface AnthropicToResponsesStreamTranslator
  extends ToResponsesStreamTranslator<AnthropicStreamEvent> {
  /**
   * Fast path for an event's raw SSE `data`: when it is a text delta of an open text block in
   * the form Anthropic sends (see `textDeltaLiteral`), the SSE that `push` +
   * `serializeResponsesStreamEvent` would give for it, built from the text's JSON literal
   * without parsing the event. Undefined for anything else: use `push`.
   */
  textDeltaSse(data: string): string | undefined;
  /**
   * {@link textDeltaSse} for a whole raw SSE event, `text.slice(start, end)`, in the form
   * Anthropic sends (`event: content_block_delta\ndata: {…}\n\n`): the same output without
   * splitting the event out of its chunk first. Undefined for anything else.
   */
  textDeltaEventSse(text: string, start: number, end: number): string | undefined;
  /**
   * After {@link textDeltaEventSse} took the event `text.slice(start, end)`: the SSE it would
   * give for each of the text deltas of the same block in a row from `end` on, pushed to
   * `out`; returns the index after them (`end` when there are none). For an `SseReader`'s
   * `rawRun`.
   */
  textDeltaRunSse(text: string, start: number, end: number, out: string[]): number;
  /**
   * Serialises one of this translator's events as SSE, byte for byte as a
   * `createResponsesStreamSerializer` of its own would: a message item's events from
   * templates filled as the translator built them, each closed text from the JSON literal it
   * came in (when `JSON.stringify` would write it the same) instead of escaping it again for
   * every closing event that repeats it. For the events as `push`, `finish` and `error`
   * returned them: an event changed since may be written as it was.
   */
  sse(event: ResponsesStreamEvent): string;
}

/**
 * Creates an Anthropic Messages → Responses stream translator, in one step: thinking becomes
 * a `reasoning` item streamed as reasoning summary events (its signature, when the request
 * `include`s `reasoning.encrypted_content`, in `encrypted_content`, so the next request can
 * hand the signed block back), text a `message` item, each `tool_use` a `function_call` whose
 * `call_id` is the `tool_use` id (a `custom_tool_call` for a custom tool, a call with its
 * `namespace` for a namespaced one). Every event carries an increasing `sequence_number`; the
 * stream ends with exactly one of `response.completed`, `response.incomplete` (`max_tokens`,
 * `refusal`) or `response.failed` (an `error` event, or input that ends before a stop
 * reason), carrying usage.
 *
 * @example
 * const translator = createAnthropicToResponsesStreamTranslator({ request });
 * for (const event of anthropicEvents) {
 *   for (const out of translator.push(event)) res.write(serializeResponsesStreamEvent(out));
 * }
 * for (const out of translator.finish()) res.write(serializeResponsesStreamEvent(out));
 */
export function createAnthropicToResponsesStreamTranslator(
  options: ToResponsesStreamOptions = {},
): AnthropicToResponsesStreamTranslator {
  const { now = Date.now, request } = options;
  const responseId = options.id ?? (options.generateId ?? responsesId)("resp_");
  const nextId = itemIds(responseId, options.generateId);
  const origins = toolOrigins(request);
  const withSignatures = includesEncryptedReasoning(request?.include);
  let sequence = 0;
  let response: ResponsesResponse | undefined;
  const blocks: Array<OpenBlock | undefined> = [];
  let stopReason: string | null = null;
  /**
   * The block whose `content_block_stop` came last, not yet closed: its status is only known
   * from the `message_delta` that follows the last block (a tool call cut by `max_tokens` is
   * `incomplete`, not `completed`). Any other event closes it as completed. -1: none.
   */
  let stopped = -1;
  let usage: Partial<AnthropicUsage> = {};
  let outputText = "";
  /** Templates, the closed texts' JSON and the serialiser the events are written with. */
  const writer = new ResponsesEventWriter();
  const texts = writer.texts;

  const emit = (out: ResponsesStreamEvent[], event: Record<string, unknown>, head?: string) => {
    event.sequence_number = sequence++;
    writer.note(out, head);
    out.push(event as unknown as ResponsesStreamEvent);
  };

  function start(out: ResponsesStreamEvent[], model?: string): ResponsesResponse {
    response = writer.start((event, head) => emit(out, event, head), {
      id: responseId,
      model: options.model ?? model ?? request?.model ?? "",
      createdAt: Math.floor(now() / 1000),
      request: request,
    });
    return response;
  }

  function add(
    out: ResponsesStreamEvent[],
    index: number,
    open: OpenBlock,
    item: object,
    head?: string,
  ) {
    blocks[index] = open;
    // The item as added until it is done (then replaced, never mutated: events hold it).
    (response as ResponsesResponse).output.push(item as ResponsesOutputItem);
    emit(
      out,
      { type: "response.output_item.added", output_index: open.index, item, sequence_number: 0 },
      head,
    );
  }

  function openBlock(out: ResponsesStreamEvent[], index: number, block: Record<string, unknown>) {
    const outputIndex = (response as ResponsesResponse).output.length;
    if (block.type === "text") {
      const id = nextId("msg_");
      const open = newBlock("text", outputIndex, id);
      const idJson = quote(id);
      open.idJson = idJson;
      const message = {
        type: "message",
        id,
        role: "assistant",
        status: "in_progress",
        content: [],
      };
      add(out, index, open, message, messageAddedHead(idJson, outputIndex));
      emit(
        out,
        {
          type: "response.content_part.added",
          item_id: id,
          output_index: outputIndex,
          content_index: 0,
          part: { type: "output_text", text: "", annotations: [], logprobs: [] },
          sequence_number: 0,
        },
        partAddedHead(idJson, outputIndex),
      );
      open.ssePrefix = outputTextDeltaHead(idJson, outputIndex);
      if (typeof block.text === "string" && block.text !== "") textDelta(out, open, block.text);
    } else if (block.type === "thinking") {
      const id = nextId("rs_");
      const open = newBlock("thinking", outputIndex, id);
      add(out, index, open, { type: "reasoning", id, summary: [] });
      emit(out, {
        type: "response.reasoning_summary_part.added",
        item_id: id,
        output_index: outputIndex,
        summary_index: 0,
        part: { type: "summary_text", text: "" },
        sequence_number: 0,
      });
      if (typeof block.signature === "string" && block.signature !== "")
        open.signature = block.signature;
      if (typeof block.thinking === "string" && block.thinking !== "")
        thinkingDelta(out, open, block.thinking);
    } else if (block.type === "redacted_thinking") {
      // Only its opaque data can go back, and only a client that keeps it can use it.
      if (!withSignatures || typeof block.data !== "string") return;
      const id = nextId("rs_");
      const item = {
        type: "reasoning",
        id,
        summary: [],
        encrypted_content: encryptedRedactedThinking(block.data),
      };
      (response as ResponsesResponse).output.push(item as ResponsesOutputItem);
      emit(out, {
        type: "response.output_item.added",
        output_index: outputIndex,
        item,
        sequence_number: 0,
      });
      emit(out, {
        type: "response.output_item.done",
        output_index: outputIndex,
        item,
        sequence_number: 0,
      });
    } else if (block.type === "tool_use") {
      const name = String(block.name ?? "");
      const custom = origins?.get(name)?.custom === true;
      const open = newBlock("tool", outputIndex, nextId(custom ? "ctc_" : "fc_"));
      open.callId = typeof block.id === "string" ? block.id : nextId("call_");
      open.name = name;
      const item = toolCallItem({
        id: open.id,
        callId: open.callId as string,
        upstreamName: name,
        args: "",
        status: "in_progress",
        origins,
      });
      add(out, index, open, item);
      const input = block.input;
      if (input !== null && typeof input === "object" && Object.keys(input).length > 0)
        argsDelta(out, open, JSON.stringify(input));
    }
    // Server tool blocks and types added later carry nothing a client can act on.
  }

  function textDelta(out: ResponsesStreamEvent[], open: OpenBlock, text: string) {
    open.literal += encode(text);
    emit(out, {
      type: TEXT_DELTA,
      item_id: open.id,
      output_index: open.index,
      content_index: 0,
      delta: text,
      logprobs: [],
      sequence_number: 0,
    });
  }

  function thinkingDelta(out: ResponsesStreamEvent[], open: OpenBlock, text: string) {
    open.literal += encode(text);
    emit(out, {
      type: "response.reasoning_summary_text.delta",
      item_id: open.id,
      output_index: open.index,
      summary_index: 0,
      delta: text,
      sequence_number: 0,
    });
  }

  function argsDelta(out: ResponsesStreamEvent[], open: OpenBlock, json: string) {
    open.args += json;
    // A custom tool's input is only known once its JSON is whole (see closeBlock).
    if (origins?.get(open.name as string)?.custom === true) return;
    emit(out, {
      type: "response.function_call_arguments.delta",
      item_id: open.id,
      output_index: open.index,
      delta: json,
      sequence_number: 0,
    });
  }

  function closeBlock(
    out: ResponsesStreamEvent[],
    index: number,
    status: "completed" | "incomplete",
  ) {
    const open = blocks[index];
    if (open === undefined) return;
    blocks[index] = undefined;
    const { id: item_id, index: output_index } = open;
    let item: Record<string, unknown>;
    let head: string | undefined;
    if (open.kind === "text") {
      // One string, not the tree of the deltas' literals: it is read three times.
      const literal = flatString(open.literal);
      const text = decode(literal);
      const json = canonicalTextJson(literal) ?? JSON.stringify(text);
      texts.remember(text, json);
      outputText += text;
      const done = emitMessageDone(
        (event, eventHead) => emit(out, event, eventHead),
        { itemId: item_id, idJson: open.idJson, outputIndex: output_index },
        text,
        json,
        status,
      );
      item = { type: "message", id: item_id, role: "assistant", status, content: [done.part] };
      head = done.itemHead;
      // The terminal event's `output` repeats the item: its JSON is known.
      texts.rememberObject(item, done.itemJson);
    } else if (open.kind === "thinking") {
      const text = decode(open.literal);
      rememberTextJson(texts, text, open.literal);
      const part = { type: "summary_text", text };
      emit(out, {
        type: "response.reasoning_summary_text.done",
        item_id,
        output_index,
        summary_index: 0,
        text,
        sequence_number: 0,
      });
      emit(out, {
        type: "response.reasoning_summary_part.done",
        item_id,
        output_index,
        summary_index: 0,
        part,
        sequence_number: 0,
      });
      item = { type: "reasoning", id: item_id, summary: [part] };
      if (withSignatures && open.signature !== undefined)
        item.encrypted_content = encryptedThinking(open.signature);
      item.status = status;
    } else {
      const args = open.args === "" ? "{}" : open.args;
      item = toolCallItem({
        id: item_id,
        callId: open.callId as string,
        upstreamName: open.name as string,
        args,
        status,
        origins,
      }) as unknown as Record<string, unknown>;
      if (item.type === "custom_tool_call") {
        const input = item.input as string;
        emit(out, {
          type: "response.custom_tool_call_input.delta",
          item_id,
          output_index,
          delta: input,
        });
        emit(out, {
          type: "response.custom_tool_call_input.done",
          item_id,
          output_index,
          input,
        });
      } else {
        // No argument text came: the deltas say "{}" as the item does.
        if (open.args === "") {
          emit(out, {
            type: "response.function_call_arguments.delta",
            item_id,
            output_index,
            delta: args,
            sequence_number: 0,
          });
        }
        emit(out, {
          type: "response.function_call_arguments.done",
          item_id,
          output_index,
          name: item.name,
          arguments: args,
          sequence_number: 0,
        });
      }
    }
    (response as ResponsesResponse).output[output_index] = item as unknown as ResponsesOutputItem;
    emit(out, { type: "response.output_item.done", output_index, item, sequence_number: 0 }, head);
  }

  function closeAll(out: ResponsesStreamEvent[], status: "completed" | "incomplete") {
    for (let i = 0; i < blocks.length; i++) closeBlock(out, i, status);
  }

  function complete(out: ResponsesStreamEvent[]): ResponsesStreamEvent[] {
    const r = response ?? start(out);
    const status = responsesStatusForStopReason(stopReason);
    closeAll(out, status.status === "completed" ? "completed" : "incomplete");
    r.status = status.status;
    r.incomplete_details = status.incomplete_details;
    r.output_text = outputText;
    r.usage = convertAnthropicUsageToResponses(usage);
    const type = status.status === "completed" ? "response.completed" : "response.incomplete";
    emit(out, { type, response: r, sequence_number: 0 }, writer.terminalHead(type, r));
    self.done = true;
    return out;
  }

  function fail(err: unknown): ResponsesStreamEvent[] {
    if (self.done) return [];
    const out: ResponsesStreamEvent[] = [];
    const r = response ?? start(out);
    closeAll(out, "incomplete");
    r.status = "failed";
    r.error = toResponsesError(err);
    if (Object.keys(usage).length > 0) r.usage = convertAnthropicUsageToResponses(usage);
    emit(
      out,
      { type: "response.failed", response: r, sequence_number: 0 },
      writer.terminalHead("response.failed", r),
    );
    self.done = true;
    return out;
  }

  function mergeUsage(next: Partial<AnthropicUsage> | null | undefined): void {
    if (!next) return;
    // Cumulative totals; a field that is absent or null keeps the earlier value.
    for (const key in next) {
      const value = next[key];
      if (value !== null && value !== undefined) usage[key] = value;
    }
  }

  function push(event: AnthropicStreamEvent): ResponsesStreamEvent[] {
    if (self.done) return [];
    if (event?.type === "error") return fail(event);
    const out: ResponsesStreamEvent[] = [];
    if (response === undefined) {
      if (event.type === "message_start") {
        usage = { ...event.message?.usage };
        start(out, event.message?.model);
        return out;
      }
      start(out);
    }
    if (stopped >= 0 && event.type !== "message_delta" && event.type !== "ping") {
      closeBlock(out, stopped, "completed");
      stopped = -1;
    }
    switch (event.type) {
      case "content_block_start":
        closeBlock(out, event.index, "completed");
        openBlock(out, event.index, event.content_block as unknown as Record<string, unknown>);
        return out;
      case "content_block_delta": {
        const open = blocks[event.index];
        if (open === undefined) return out;
        const delta = event.delta;
        if (delta.type === "text_delta" && open.kind === "text") textDelta(out, open, delta.text);
        else if (delta.type === "thinking_delta" && open.kind === "thinking")
          thinkingDelta(out, open, delta.thinking);
        else if (delta.type === "signature_delta" && open.kind === "thinking")
          open.signature = (open.signature ?? "") + delta.signature;
        else if (delta.type === "input_json_delta" && open.kind === "tool" && delta.partial_json)
          argsDelta(out, open, delta.partial_json);
        return out;
      }
      case "content_block_stop": {
        const open = blocks[event.index];
        if (open === undefined) return out;
        // No more text deltas for it on the fast path.
        open.ssePrefix = undefined;
        stopped = event.index;
        return out;
      }
      case "message_delta":
        mergeUsage(event.usage);
        if (event.delta?.stop_reason) stopReason = event.delta.stop_reason;
        if (stopped >= 0 && stopReason !== null) {
          const status = responsesStatusForStopReason(stopReason).status;
          closeBlock(out, stopped, status === "completed" ? "completed" : "incomplete");
          stopped = -1;
        }
        return out;
      case "message_stop":
        return complete(out);
      default:
        // ping, and event types added upstream later, carry nothing to emit.
        return out;
    }
  }

  function textDeltaSse(data: string): string | undefined {
    if (self.done || response === undefined) return undefined;
    const literal = textDeltaLiteral(data);
    if (literal === undefined) return undefined;
    // The block index sits between the fixed head and the delta (`…"index":N,"delta":…`).
    return textDeltaOf(blocks[indexAt(data, TEXT_DELTA_HEAD_LENGTH)], literal);
  }

  const eventLiteral = createTextDeltaEventScanner();

  /** The block of the text delta `textDeltaEventSse` took last. */
  let runBlock = -1;

  function textDeltaEventSse(text: string, start: number, end: number): string | undefined {
    if (self.done || response === undefined) return undefined;
    const literal = eventLiteral(text, start, end);
    if (literal === undefined) return undefined;
    // The scanner checked the block index is plain digits right after the fixed head.
    runBlock = indexAt(text, start + TEXT_DELTA_EVENT_HEAD.length);
    return textDeltaOf(blocks[runBlock], literal);
  }

  function textDeltaRunSse(text: string, _start: number, end: number, out: string[]): number {
    // Only after textDeltaEventSse took an event: `runBlock` is an open text block.
    const open = blocks[runBlock];
    if (self.done || open?.kind !== "text" || open.ssePrefix === undefined) return end;
    const literals: string[] = [];
    const after = textDeltaLiterals(text, end, literals, runBlock);
    if (literals.length > 0) out.push(writeTextDeltaRow(open, open.ssePrefix, literals, sequence));
    sequence += literals.length;
    return after;
  }

  /** The SSE of a text delta (its JSON literal, quotes included) for the block `open`. */
  function textDeltaOf(open: OpenBlock | undefined, literal: string): string | undefined {
    if (open?.kind !== "text" || open.ssePrefix === undefined) return undefined;
    open.literal += literal.slice(1, -1);
    return outputTextDeltaSse(open.ssePrefix, literal, sequence++);
  }

  const self: {
    -readonly [K in keyof AnthropicToResponsesStreamTranslator]: AnthropicToResponsesStreamTranslator[K];
  } = {
    push,
    textDeltaSse,
    textDeltaEventSse,
    textDeltaRunSse,
    sse: (event) => writer.sse(event),
    finish() {
      if (self.done) return [];
      // The stop reason arrived: the answer is whole even without `message_stop`.
      if (stopReason !== null) return complete([]);
      return fail(STREAM_ENDED_EARLY_ERROR);
    },
    error: fail,
    done: false,
    snapshot: () =>
      response ??
      createResponseShell({
        id: responseId,
        model: options.model ?? "",
        createdAt: Math.floor(now() / 1000),
        request,
      }),
  };
  return self;
}
