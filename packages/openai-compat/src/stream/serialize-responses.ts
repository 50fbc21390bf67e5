import type { ResponsesResponse, ResponsesStreamEvent } from "../types/responses.js";
import { quote } from "./json-quote.js";
import { hasKeys, isPlainObject } from "./json-shape.js";
import { JsonTextCache } from "./json-text-cache.js";
import { messageEventJson, outputJson } from "./responses-message-json.js";
import {
  type EchoWriter,
  ResponseSegments,
  responseObjectJson,
} from "./responses-response-json.js";

/**
 * Serialises one Responses stream event as SSE: `event: <type>\ndata: <json>\n\n`, as
 * OpenAI sends them.
 *
 * @example
 * res.write(serializeResponsesStreamEvent(event));
 */
export function serializeResponsesStreamEvent(event: ResponsesStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * A serialiser for the events of one stream that writes what a stream repeats only once:
 * `response.created` and `response.in_progress` carry the same snapshot (with the request's
 * tools and instructions echoed, often tens of kilobytes), so the second reuses the first's
 * JSON; the terminal event's response echoes the same request values again, and reuses their
 * JSON too. Output is byte-identical to {@link serializeResponsesStreamEvent}, provided a
 * `response` object, or a value it echoes, is not changed after an event carrying it was
 * serialised (translators never do).
 *
 * @example
 * const serialize = createResponsesStreamSerializer();
 * for (const event of translator.push(item)) res.write(serialize(event));
 */
export function createResponsesStreamSerializer(): (event: ResponsesStreamEvent) => string {
  return responsesStreamSerializer(new JsonTextCache());
}

/**
 * {@link createResponsesStreamSerializer} over `texts`, which a translator may hand the JSON
 * of the texts it closes (`JsonTextCache.remember`): the same bytes, fewer escapes.
 */
export function responsesStreamSerializer(
  texts: JsonTextCache,
): (event: ResponsesStreamEvent) => string {
  let last: ResponsesResponse | undefined;
  let lastJson = "";
  const echoes = new EchoCache(texts);
  const segments = new ResponseSegments();
  const cached = (value: unknown) => typeof value === "string" && texts.holds(value);
  return (event) => {
    const response = (event as { response?: ResponsesResponse }).response;
    if (response === undefined || !hasKeys(event, LIFECYCLE_KEYS)) {
      // A message item's events, in the shape the translators build, from templates.
      const json = messageEventJson(event, texts);
      if (json !== undefined) return `event: ${event.type}\ndata: ${json}\n\n`;
      // An item's closing events repeat its whole text: written from the cache.
      return holdsCachedText(event, cached)
        ? `event: ${event.type}\ndata: ${texts.stringify(event)}\n\n`
        : serializeResponsesStreamEvent(event);
    }
    if (response !== last) {
      last = response;
      // A large echo (Codex sends kilobytes of instructions and a dozen tools) is written
      // once per stream, from the cache.
      const echo = hasLargeEcho(response);
      lastJson =
        responseObjectJson(response, texts, echo ? echoes.writer : undefined, segments) ??
        // Key by key costs more than one JSON.stringify for a small response: only worth it
        // for a large echo or for output whose texts the closing events already wrote.
        ((echo || cached(response.output_text)) && isPlainObject(response)
          ? echoes.responseJson(response, echo)
          : JSON.stringify(response));
    }
    return `event: ${event.type}\ndata: {"type":${typeJson(event.type)},"response":${lastJson},"sequence_number":${numberJson(event.sequence_number)}}\n\n`;
  };
}

/**
 * A closing event that carries an item's whole text where the translators put it:
 * `text` (`output_text.done`, `reasoning_summary_text.done`), `part.text` (`….part.done`),
 * the first content or summary part of `item` (`output_item.done`). Walking the others key by
 * key would cost more than the native `JSON.stringify` it would save.
 */
function holdsCachedText(
  event: ResponsesStreamEvent,
  cached: (value: unknown) => boolean,
): boolean {
  const e = event as { text?: unknown; part?: { text?: unknown }; item?: unknown };
  if (cached(e.text) || cached(e.part?.text)) return true;
  const item = e.item as { content?: unknown; summary?: unknown } | undefined;
  if (item === undefined || item === null) return false;
  const parts = Array.isArray(item.content) ? item.content : item.summary;
  return Array.isArray(parts) && cached((parts[0] as { text?: unknown } | undefined)?.text);
}

/** Instructions or tools long enough that their JSON is worth reusing. */
function hasLargeEcho(response: ResponsesResponse): boolean {
  const { instructions, tools } = response;
  return (
    (Array.isArray(tools) && tools.length >= 2) ||
    (typeof instructions === "string" && instructions.length >= 1024)
  );
}

/** Keys of a `Response` whose values echo the request: the same values all stream long. */
const ECHO_KEYS = new Set([
  "instructions",
  "reasoning",
  "text",
  "tool_choice",
  "tools",
  "metadata",
]);

/** The JSON of each echoed value last written, reused while the value is the same one. */
class EchoCache {
  readonly #values = new Map<string, unknown>();
  readonly #json = new Map<string, string>();

  constructor(private readonly texts: JsonTextCache) {}

  /**
   * `JSON.stringify(response)` for a plain response object: echoed values from the cache
   * (when `echo`), output items from their templates, texts from the text cache.
   */
  responseJson(response: ResponsesResponse, echo: boolean): string {
    return this.texts.object(response as unknown as Record<string, unknown>, (key, value) => {
      // Small echoes are written natively: keeping their JSON costs more than writing it.
      if (echo && ECHO_KEYS.has(key)) return this.#echo(key, value);
      if (key === "output") return outputJson(value, this.texts);
      // Long texts (`output_text`) are cached; anything else is written natively.
      return typeof value === "string"
        ? this.texts.stringify(value)
        : this.texts.member(key, value);
    });
  }

  /** {@link EchoWriter} over this cache: the JSON of an echoed value, reused while it is the same. */
  readonly writer: EchoWriter = (key, value) =>
    ECHO_KEYS.has(key) &&
    (typeof value === "string" ||
      (typeof value === "object" &&
        value !== null &&
        typeof (value as { toJSON?: unknown }).toJSON !== "function"))
      ? this.#echo(key, value)
      : undefined;

  #echo(key: string, value: unknown): string | undefined {
    if (this.#values.has(key) && this.#values.get(key) === value) return this.#json.get(key);
    const text = this.texts.member(key, value);
    this.#values.set(key, value);
    if (text !== undefined) this.#json.set(key, text);
    else this.#json.delete(key);
    return text;
  }
}

/** An event's `type` as JSON. */
const typeJson = (type: unknown) => (typeof type === "string" ? quote(type) : JSON.stringify(type));

/** A `sequence_number` as JSON (`JSON.stringify` writes a finite number as `${n}`). */
const numberJson = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? `${value}` : JSON.stringify(value);

/** A lifecycle event's own keys, in order. */
const LIFECYCLE_KEYS = ["type", "response", "sequence_number"];

/** Parses the `data` of one Responses SSE event. */
export function parseResponsesStreamData(data: string): ResponsesStreamEvent {
  return JSON.parse(data) as ResponsesStreamEvent;
}
