import { responsesStatusFor } from "../convert-openai-response-to-responses.js";
import {
  convertOpenAIUsageToResponses,
  createResponseShell,
  responsesId,
} from "../internal/response-shell.js";
import { itemIds } from "../internal/responses-output.js";
import { toolCallItem, toolOrigins } from "../internal/responses-tool-names.js";
import type { OpenAIFinishReason, OpenAIToolCallDelta, OpenAIUsage } from "../types/openai.js";
import type {
  ResponsesFunctionCallItem,
  ResponsesOutputItem,
  ResponsesOutputMessage,
  ResponsesReasoningItem,
  ResponsesResponse,
  ResponsesStreamEvent,
} from "../types/responses.js";
import type { OpenAIStreamItem } from "./anthropic-to-openai.js";
import { flatString } from "./delta-frame.js";
import { quote } from "./json-quote.js";
import { firstChoice, isErrorItem } from "./openai-items.js";
import {
  createOpenAITextDeltaEventScanner,
  createOpenAITextDeltaScanner,
} from "./openai-text-delta.js";
import { OpenAITextDeltaRows } from "./openai-text-delta-run.js";
import { toResponsesError } from "./responses-errors.js";
import {
  emitMessageDone,
  messageAddedHead,
  partAddedHead,
  ResponsesEventWriter,
  textDeltaHead,
} from "./responses-prebuilt.js";
import { emitRefusalDelta, emitRefusalDone, emitRefusalPartAdded } from "./responses-refusal.js";
import {
  canonicalTextJson,
  decodeTextLiteral,
  encodeTextLiteral,
  outputTextDeltaHead,
  outputTextDeltaSse,
  writeTextDeltaRow,
} from "./responses-text-delta.js";
import type {
  OpenAIToResponsesStreamTranslator,
  ToResponsesStreamOptions,
} from "./responses-translator.js";
import { OPENAI_STREAM_DONE, STREAM_ENDED_EARLY_ERROR } from "./stream-errors.js";

interface OpenItem {
  index: number;
  item: ResponsesOutputItem;
  /** Text (or a tool call's arguments) since the last fast-path delta, decoded. */
  text: string;
  /** Text before `text`, as a JSON string literal body (fast-path deltas). */
  literal: string;
  /** `event: response.output_text.delta` SSE up to the delta's value (message items). */
  deltaHead?: string;
  /** A tool call's name as the upstream sent it. */
  name?: string;
  /** The item id's JSON (message items), for the message item's event templates. */
  idJson?: string;
  /** A message item whose one part is a refusal (`delta.refusal`), not `output_text`. */
  refusal?: true;
}

/**
 * Creates an OpenAI Chat Completions → Responses stream translator. It emits
 * `response.created` and `response.in_progress` first; reasoning deltas as a `reasoning`
 * item with one summary part (`response.reasoning_summary_*`); text as a `message` item with
 * one `output_text` part (`content_part.added`, `output_text.delta`…`.done`,
 * `content_part.done`); each tool call as a `function_call` item
 * (`function_call_arguments.delta`…`.done`), each item closed by `output_item.done`. Every
 * event carries an increasing `sequence_number`. The stream ends with exactly one of
 * `response.completed`, `response.incomplete` (finish reason `length`/`content_filter`) or
 * `response.failed` (an upstream error, or input that ends before a finish reason), with
 * the usage the upstream reported.
 *
 * @example
 * const translator = createOpenAIToResponsesStreamTranslator({ request });
 * for (const chunk of chunks) {
 *   for (const event of translator.push(chunk)) res.write(serializeResponsesStreamEvent(event));
 * }
 * for (const event of translator.finish()) res.write(serializeResponsesStreamEvent(event));
 */
export function createOpenAIToResponsesStreamTranslator(
  options: ToResponsesStreamOptions = {},
): OpenAIToResponsesStreamTranslator {
  const { now = Date.now } = options;
  /** Item ids: `generateId`, or the response id's random part with a counter (set at start). */
  let generateId = options.generateId ?? responsesId;
  let sequence = 0;
  let response: ResponsesResponse | undefined;
  /** The open reasoning or message item (at most one). */
  let active: OpenItem | undefined;
  /** Open function calls by the upstream's tool call slot. */
  const calls: Array<OpenItem | undefined> = [];
  let finishReason: OpenAIFinishReason | null = null;
  let usage: OpenAIUsage | undefined;
  let outputText = "";
  /** Templates, the closed texts' JSON and the serialiser the events are written with. */
  const writer = new ResponsesEventWriter();
  const texts = writer.texts;

  const emit = (out: ResponsesStreamEvent[], event: Record<string, unknown>, head?: string) => {
    (event as { sequence_number: number }).sequence_number = sequence++;
    writer.note(out, head);
    out.push(event as unknown as ResponsesStreamEvent);
  };
  const origins = toolOrigins(options.request);

  function start(out: ResponsesStreamEvent[], model?: string): ResponsesResponse {
    const responseId = options.id ?? generateId("resp_");
    generateId = itemIds(responseId, options.generateId);
    response = writer.start((event, head) => emit(out, event, head), {
      id: responseId,
      model: options.model ?? model ?? options.request?.model ?? "",
      createdAt: Math.floor(now() / 1000),
      request: options.request,
    });
    return response;
  }

  function addItem(
    out: ResponsesStreamEvent[],
    item: ResponsesOutputItem,
    head?: (index: number) => string,
  ): OpenItem {
    const r = response as ResponsesResponse;
    const open: OpenItem = { index: r.output.length, item, text: "", literal: "" };
    r.output.push(item);
    // Items are replaced when done, never mutated: the event may keep this one.
    const event = {
      type: "response.output_item.added",
      output_index: open.index,
      item,
      sequence_number: 0,
    };
    emit(out, event, head?.(open.index));
    return open;
  }

  function closeActive(out: ResponsesStreamEvent[], status: "completed" | "incomplete"): void {
    const open = active;
    if (open === undefined) return;
    active = undefined;
    const { index: output_index, item } = open;
    if (open.refusal === true) {
      const at = { itemId: item.id, outputIndex: output_index };
      const done = emitRefusalDone(
        (event) => emit(out, event),
        at,
        item as ResponsesOutputMessage,
        open.text,
        status,
      );
      itemDone(out, output_index, done);
      return;
    }
    // One string, not the tree of the deltas' literals: it is read twice.
    const literal = flatString(open.literal);
    let text = open.text;
    /** The text's JSON, when it is its literal (all fast-path deltas, as JSON.stringify writes them). */
    let json: string | undefined;
    if (literal !== "") {
      text = decodeTextLiteral(literal);
      if (open.text === "") json = canonicalTextJson(literal);
      else text += open.text;
    }
    const item_id = item.id;
    let done: ResponsesOutputItem;
    let head: string | undefined;
    if (item.type === "reasoning") {
      const part = { type: "summary_text" as const, text };
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
      done = { ...(item as ResponsesReasoningItem & { id: string }), summary: [part], status };
    } else {
      json ??= JSON.stringify(text);
      texts.remember(text, json);
      outputText += text;
      const closed = emitMessageDone(
        (event, eventHead) => emit(out, event, eventHead),
        { itemId: item_id, idJson: open.idJson as string, outputIndex: output_index },
        text,
        json,
        status,
      );
      done = { ...(item as ResponsesOutputMessage), content: [closed.part], status };
      head = closed.itemHead;
      // The terminal event's `output` repeats the item: its JSON is known.
      texts.rememberObject(done, closed.itemJson);
    }
    itemDone(out, output_index, done, head);
  }

  /** An item's `response.output_item.done`, the done item put in the response's `output`. */
  function itemDone(
    out: ResponsesStreamEvent[],
    output_index: number,
    done: ResponsesOutputItem,
    head?: string,
  ): void {
    (response as ResponsesResponse).output[output_index] = done;
    const event = {
      type: "response.output_item.done",
      output_index,
      item: done,
      sequence_number: 0,
    };
    emit(out, event, head);
  }

  /** A new message item, added (its `output_item.added` from the template), its id's JSON kept. */
  function addMessage(out: ResponsesStreamEvent[]): OpenItem {
    const message: ResponsesOutputMessage = {
      type: "message",
      id: generateId("msg_"),
      role: "assistant",
      status: "in_progress",
      content: [],
    };
    const idJson = quote(message.id);
    const open = addItem(out, message, (index) => messageAddedHead(idJson, index));
    open.idJson = idJson;
    return open;
  }

  function ensure(out: ResponsesStreamEvent[], kind: "reasoning" | "message"): OpenItem {
    if (active?.item.type === kind && active.refusal !== true) return active;
    closeActive(out, "completed");
    if (kind === "reasoning") {
      const open = addItem(out, { type: "reasoning", id: generateId("rs_"), summary: [] });
      const part = { type: "summary_text", text: "" };
      emit(out, {
        type: "response.reasoning_summary_part.added",
        item_id: open.item.id,
        output_index: open.index,
        summary_index: 0,
        part,
        sequence_number: 0,
      });
      active = open;
      return open;
    }
    const open = addMessage(out);
    const idJson = open.idJson as string;
    open.deltaHead = outputTextDeltaHead(idJson, open.index);
    const part = { type: "output_text", text: "", annotations: [], logprobs: [] };
    const added = {
      type: "response.content_part.added",
      item_id: open.item.id,
      output_index: open.index,
      content_index: 0,
      part,
      sequence_number: 0,
    };
    emit(out, added, partAddedHead(idJson, open.index));
    active = open;
    return open;
  }

  /** A `delta.refusal`: into the open refusal message item, else a new one. */
  function refusalDelta(out: ResponsesStreamEvent[], delta: string): void {
    let open = active;
    if (open?.refusal !== true) {
      closeActive(out, "completed");
      open = addMessage(out);
      open.refusal = true;
      emitRefusalPartAdded((event) => emit(out, event), {
        itemId: open.item.id,
        outputIndex: open.index,
      });
      active = open;
    }
    open.text += delta;
    emitRefusalDelta(
      (event) => emit(out, event),
      { itemId: open.item.id, outputIndex: open.index },
      delta,
    );
  }

  function toolDelta(out: ResponsesStreamEvent[], tc: OpenAIToolCallDelta): void {
    // Servers that omit `index` (Gemini) send one call per id: a new id is a new call.
    const slot =
      typeof tc.index === "number"
        ? tc.index
        : tc.id
          ? calls.length
          : Math.max(0, calls.length - 1);
    let open = calls[slot];
    if (open === undefined) {
      closeActive(out, "completed");
      const name = tc.function?.name ?? "";
      const call = toolCallItem({
        id: generateId(origins?.get(name)?.custom === true ? "ctc_" : "fc_"),
        callId: tc.id ?? generateId("call_"),
        upstreamName: name,
        args: "",
        status: "in_progress",
        origins,
      });
      open = addItem(out, call);
      open.name = name;
      calls[slot] = open;
    }
    const args = tc.function?.arguments;
    if (args) {
      open.text += args;
      // A custom tool's input is only known once its JSON is whole (see closeCalls).
      if (open.item.type === "custom_tool_call") return;
      emit(out, {
        type: "response.function_call_arguments.delta",
        item_id: open.item.id,
        output_index: open.index,
        delta: args,
        sequence_number: 0,
      });
    }
  }

  function closeCalls(out: ResponsesStreamEvent[], status: "completed" | "incomplete"): void {
    for (const open of calls) {
      if (open === undefined) continue;
      const { index: output_index, item } = open;
      const item_id = item.id;
      const done = toolCallItem({
        id: item_id,
        callId: (item as ResponsesFunctionCallItem).call_id,
        upstreamName: open.name ?? "",
        args: open.text,
        status,
        origins,
      });
      if (done.type === "custom_tool_call") {
        const input = done.input;
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
        // No argument text came: the item says "{}", and so do the deltas (see toolCallItem).
        if (open.text === "") {
          emit(out, {
            type: "response.function_call_arguments.delta",
            item_id,
            output_index,
            delta: done.arguments,
            sequence_number: 0,
          });
        }
        emit(out, {
          type: "response.function_call_arguments.done",
          item_id,
          output_index,
          name: done.name,
          arguments: done.arguments,
          sequence_number: 0,
        });
      }
      itemDone(out, output_index, done);
    }
    calls.length = 0;
  }

  function complete(out: ResponsesStreamEvent[]): ResponsesStreamEvent[] {
    const r = response ?? start(out);
    const status = responsesStatusFor(finishReason);
    const itemStatus = status.status === "completed" ? "completed" : "incomplete";
    closeActive(out, itemStatus);
    closeCalls(out, itemStatus);
    r.status = status.status;
    r.incomplete_details = status.incomplete_details;
    r.output_text = outputText;
    if (usage) r.usage = convertOpenAIUsageToResponses(usage);
    const type = status.status === "completed" ? "response.completed" : "response.incomplete";
    emit(out, { type, response: r, sequence_number: 0 }, writer.terminalHead(type, r));
    self.done = true;
    return out;
  }

  function fail(err: unknown): ResponsesStreamEvent[] {
    if (self.done) return [];
    const out: ResponsesStreamEvent[] = [];
    const r = response ?? start(out);
    closeActive(out, "incomplete");
    closeCalls(out, "incomplete");
    r.status = "failed";
    r.error = toResponsesError(err);
    if (usage) r.usage = convertOpenAIUsageToResponses(usage);
    emit(
      out,
      { type: "response.failed", response: r, sequence_number: 0 },
      writer.terminalHead("response.failed", r),
    );
    self.done = true;
    return out;
  }

  function push(item: OpenAIStreamItem): ResponsesStreamEvent[] {
    if (self.done) return [];
    if (item === OPENAI_STREAM_DONE) {
      if (finishReason === null) return fail(STREAM_ENDED_EARLY_ERROR);
      return complete([]);
    }
    if (isErrorItem(item)) return fail(item);
    const out: ResponsesStreamEvent[] = [];
    if (response === undefined) start(out, item.model);
    if (item.usage) usage = item.usage;
    const choice = firstChoice(item.choices);
    if (!choice) return out;
    const d = choice.delta;
    if (d) {
      const reasoning = d.reasoning_content ?? d.reasoning;
      if (typeof reasoning === "string" && reasoning.length > 0) {
        const open = ensure(out, "reasoning");
        open.text += reasoning;
        emit(out, {
          type: "response.reasoning_summary_text.delta",
          item_id: open.item.id,
          output_index: open.index,
          summary_index: 0,
          delta: reasoning,
          sequence_number: 0,
        });
      }
      const text = d.content;
      if (typeof text === "string" && text.length > 0) {
        const open = ensure(out, "message");
        open.text += text;
        emit(
          out,
          {
            type: "response.output_text.delta",
            item_id: open.item.id,
            output_index: open.index,
            content_index: 0,
            delta: text,
            logprobs: [],
            sequence_number: 0,
          },
          // The item's first text, most often (later ones take the fast path): from its template.
          textDeltaHead(open.idJson as string, open.index, text),
        );
      }
      if (typeof d.refusal === "string" && d.refusal.length > 0) refusalDelta(out, d.refusal);
      const toolCalls = d.tool_calls;
      if (toolCalls) for (let i = 0; i < toolCalls.length; i++) toolDelta(out, toolCalls[i]!);
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
    return out;
  }

  const textDeltaLiteral = createOpenAITextDeltaScanner();

  function textDeltaSse(data: string): string | undefined {
    // Before the first chunk `push` takes the response's model from it: parse that one.
    if (self.done || response === undefined) return undefined;
    const literal = textDeltaLiteral(data);
    return literal === undefined ? undefined : textDeltaOfActive(literal);
  }

  /**
   * The SSE of a text delta's chunk: into the open message item, else what `push` emits
   * before the delta (the open reasoning item closed, a message item added) and the delta.
   */
  function textDeltaOfActive(literal: string): string {
    const open = active;
    if (open?.deltaHead !== undefined) return textDeltaOf(open, open.deltaHead, literal);
    const out: ResponsesStreamEvent[] = [];
    const message = ensure(out, "message");
    let sse = "";
    for (let i = 0; i < out.length; i++) sse += self.sse(out[i] as ResponsesStreamEvent);
    return sse + textDeltaOf(message, message.deltaHead as string, literal);
  }

  /** Rows of text-only chunks after one the per-event path took (see `textDeltaRunSse`). */
  const rows = new OpenAITextDeltaRows();
  const eventLiteral = createOpenAITextDeltaEventScanner(rows.reshaped);

  function textDeltaEventSse(text: string, start: number, end: number): string | undefined {
    if (self.done || response === undefined) return undefined;
    const literal = eventLiteral(text, start, end);
    return literal === undefined ? undefined : textDeltaOfActive(literal);
  }

  function textDeltaRunSse(text: string, start: number, end: number, out: string[]): number {
    // Only after textDeltaEventSse took an event: the message item is open, its text flushed.
    const open = active;
    if (self.done || open?.deltaHead === undefined) return end;
    const after = rows.run(text, start, end);
    const literals = rows.literals;
    if (literals.length > 0) out.push(writeTextDeltaRow(open, open.deltaHead, literals, sequence));
    sequence += literals.length;
    return after;
  }

  /** The SSE of a text delta (its JSON literal, quotes included) for the message item `open`. */
  function textDeltaOf(open: OpenItem, deltaHead: string, literal: string): string {
    if (open.text !== "") {
      open.literal += encodeTextLiteral(open.text);
      open.text = "";
    }
    open.literal += literal.slice(1, -1);
    return outputTextDeltaSse(deltaHead, literal, sequence++);
  }

  const self: {
    -readonly [K in keyof OpenAIToResponsesStreamTranslator]: OpenAIToResponsesStreamTranslator[K];
  } = {
    push,
    textDeltaSse,
    textDeltaEventSse,
    textDeltaRunSse,
    sse: (event) => writer.sse(event),
    finish() {
      if (self.done) return [];
      // The finish reason arrived: the answer is whole even without `[DONE]`.
      if (finishReason !== null) return complete([]);
      return fail(STREAM_ENDED_EARLY_ERROR);
    },
    error: fail,
    done: false,
    snapshot: () =>
      response ??
      createResponseShell({
        id: options.id ?? "",
        model: options.model ?? "",
        createdAt: Math.floor(now() / 1000),
        request: options.request,
      }),
  };
  return self;
}
