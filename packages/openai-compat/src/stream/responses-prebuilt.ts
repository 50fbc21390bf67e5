import { createResponseShell, type ResponseShellOptions } from "../internal/response-shell.js";
import type {
  ResponsesOutputText,
  ResponsesResponse,
  ResponsesStreamEvent,
} from "../types/responses.js";
import { flatString } from "./delta-frame.js";
import { flatStringsByKey, flatStringsByNumber } from "./flat-string-cache.js";
import { quote } from "./json-quote.js";
import { JsonTextCache } from "./json-text-cache.js";
import {
  responseSegmentsJson,
  startedResponseJson,
  streamResponseJson,
} from "./responses-response-json.js";
import { responsesStreamSerializer } from "./serialize-responses.js";

/**
 * The SSE of the events a Responses translator builds for a message item, written as the
 * translator builds them: it knows every field, so the JSON is a template filled with values
 * it already holds as JSON (the item id, the text's literal), instead of a walk over the
 * event. Each template is the event's JSON up to its `sequence_number`, which `emit` adds
 * last.
 */
export class PrebuiltEvents {
  /** The events of the translator's last call, and the JSON head built for each (if any). */
  #batch: ResponsesStreamEvent[] | undefined;
  readonly #heads: Array<string | undefined> = [];
  #next = 0;

  /** Notes that `event` is being added to `out`, with the JSON `head` of its template. */
  note(out: ResponsesStreamEvent[], head: string | undefined): void {
    if (out !== this.#batch) {
      this.#batch = out;
      this.#heads.length = 0;
      this.#next = 0;
    }
    this.#heads[out.length] = head;
  }

  /** The SSE of `event`, one of the last call's events, from its template; else undefined. */
  sse(event: ResponsesStreamEvent): string | undefined {
    const batch = this.#batch;
    if (batch === undefined) return undefined;
    const i = batch[this.#next] === event ? this.#next : batch.indexOf(event);
    if (i < 0) return undefined;
    this.#next = i + 1;
    const head = this.#heads[i];
    if (head === undefined) return undefined;
    return `${eventPrefix(event.type)}${head}${sequenceTail(event.sequence_number)}`;
  }
}

/**
 * The template of a lifecycle event (`response.created`, `.in_progress`, the terminal one)
 * whose response's JSON is `responseJson`; undefined without it (the event is serialised).
 */
export const lifecycleHead = (type: string, responseJson: string | undefined) =>
  responseJson === undefined ? undefined : `${typeHead(type)}${responseJson},`;

/** `{"type":<type>,"response":`: five types in every stream (anything else is not kept). */
const typeHead = flatStringsByKey((type) => `{"type":${quote(type)},"response":`, 16);

/** `event: <type>\ndata: `: the translators' few dozen types in every stream. */
const eventPrefix = flatStringsByKey((type) => `event: ${type}\ndata: `, 64);

/** `"sequence_number":N}` and the blank line, for a templated event (the first 256 kept). */
const sequenceTail = flatStringsByNumber((n) => `"sequence_number":${n}}\n\n`, 256);

const CREATED = "response.created";
const IN_PROGRESS = "response.in_progress";

/**
 * Starts a stream's response: the live `Response` (its output grows as items are added), and
 * `response.created` and `response.in_progress` emitted with one snapshot of it and their
 * templates (its JSON written once); returns the live response and the JSON segments the
 * terminal event's response shares with it (undefined when a value is not for the template).
 */
export function emitResponseStart(
  emit: (event: Record<string, unknown>, head: string | undefined) => void,
  options: ResponseShellOptions,
): { response: ResponsesResponse; segments: string[] | undefined } {
  const response = createResponseShell(options);
  // A second shell rather than a spread of the first (a spread costs more).
  const sent = createResponseShell(options);
  const segments = responseSegmentsJson(response);
  // Flat: both events copy it. `sent` is a fresh shell of the same options: its JSON is the
  // started template of `response`'s segments.
  const json = segments === undefined ? undefined : flatString(startedResponseJson(segments));
  emit({ type: CREATED, response: sent, sequence_number: 0 }, lifecycleHead(CREATED, json));
  emit({ type: IN_PROGRESS, response: sent, sequence_number: 0 }, lifecycleHead(IN_PROGRESS, json));
  return { response, segments };
}

/**
 * What both Responses stream translators write their events with: the JSON of the texts
 * closed so far, the templates of the events they built ({@link PrebuiltEvents}), the JSON
 * segments of the stream's response once started, and a serialiser for whatever has no
 * template (made when first needed: a text answer never does).
 */
export class ResponsesEventWriter {
  /** The JSON of the texts (and message items) closed so far. */
  readonly texts = new JsonTextCache();
  readonly #prebuilt = new PrebuiltEvents();
  #serialize: ((event: ResponsesStreamEvent) => string) | undefined;
  /** The JSON the stream's responses share (see `responseSegmentsJson`), once started. */
  #segments: string[] | undefined;

  /** Notes that an event is being added to `out`, with the JSON `head` of its template. */
  note(out: ResponsesStreamEvent[], head: string | undefined): void {
    this.#prebuilt.note(out, head);
  }

  /** {@link emitResponseStart}, its segments kept for {@link terminalHead}: the live response. */
  start(
    emit: (event: Record<string, unknown>, head: string | undefined) => void,
    options: ResponseShellOptions,
  ): ResponsesResponse {
    const started = emitResponseStart(emit, options);
    this.#segments = started.segments;
    return started.response;
  }

  /** The terminal event's template for `r`, from the segments written at the start. */
  terminalHead(type: string, r: ResponsesResponse): string | undefined {
    const segments = this.#segments;
    return lifecycleHead(type, segments && streamResponseJson(segments, r, this.texts));
  }

  /** The SSE of one of the translator's events: from its template, else serialised. */
  sse(event: ResponsesStreamEvent): string {
    const sse = this.#prebuilt.sse(event);
    if (sse !== undefined) return sse;
    if (this.#serialize === undefined) this.#serialize = responsesStreamSerializer(this.texts);
    return this.#serialize(event);
  }
}

const EMPTY_PART = '{"type":"output_text","text":"","annotations":[],"logprobs":[]}';

/** `response.output_item.added` of a message item with no content yet. */
export const messageAddedHead = (idJson: string, index: number) =>
  `{"type":"response.output_item.added","output_index":${index},"item":{"type":"message","id":${idJson},"role":"assistant","status":"in_progress","content":[]},`;

/** `response.content_part.added` of a message item's one `output_text` part. */
export const partAddedHead = (idJson: string, index: number) =>
  `{"type":"response.content_part.added","item_id":${idJson},"output_index":${index},"content_index":0,"part":${EMPTY_PART},`;

/** `response.output_text.delta` of a message item's one part, for the text `delta`. */
export const textDeltaHead = (idJson: string, index: number, delta: string) =>
  `{"type":"response.output_text.delta","item_id":${idJson},"output_index":${index},"content_index":0,"delta":${quote(delta)},"logprobs":[],`;

/**
 * The closing events of a message item whose text is `textJson`: `output_text.done`,
 * `content_part.done`, `output_item.done`; then the JSON of the closed item itself.
 */
export function messageDoneHeads(
  idJson: string,
  index: number,
  textJson: string,
  status: "completed" | "incomplete",
): [string, string, string, string] {
  const part = `{"type":"output_text","text":${textJson},"annotations":[],"logprobs":[]}`;
  const at = `"item_id":${idJson},"output_index":${index},"content_index":0`;
  const item = `{"type":"message","id":${idJson},"role":"assistant","status":"${status}","content":[${part}]}`;
  return [
    `{"type":"response.output_text.done",${at},"text":${textJson},"logprobs":[],`,
    `{"type":"response.content_part.done",${at},"part":${part},`,
    `{"type":"response.output_item.done","output_index":${index},"item":${item},`,
    item,
  ];
}

/**
 * Emits a message item's `output_text.done` and `content_part.done` for its whole `text`
 * (whose JSON is `json`), each with its template; returns the part, for the item, and the
 * template of the `output_item.done` that follows and the closed item's JSON (for the
 * translator to hand its text cache: the terminal event's `output` repeats the item).
 */
export function emitMessageDone(
  emit: (event: Record<string, unknown>, head: string) => void,
  item: { itemId: string; idJson: string; outputIndex: number },
  text: string,
  json: string,
  status: "completed" | "incomplete",
): { part: ResponsesOutputText; itemHead: string; itemJson: string } {
  const { itemId: item_id, outputIndex: output_index } = item;
  const heads = messageDoneHeads(item.idJson, output_index, json, status);
  const part: ResponsesOutputText = { type: "output_text", text, annotations: [], logprobs: [] };
  const textDone = {
    type: "response.output_text.done",
    item_id,
    output_index,
    content_index: 0,
    text,
    logprobs: [],
    sequence_number: 0,
  };
  emit(textDone, heads[0]);
  emit(
    {
      type: "response.content_part.done",
      item_id,
      output_index,
      content_index: 0,
      part,
      sequence_number: 0,
    },
    heads[1],
  );
  return { part, itemHead: heads[2], itemJson: heads[3] };
}
