import type { EntryMeta, HarEntry, HarNameValue } from "./har.js";
import { type TimedChunk, timeSseEvents } from "./sse-timing.js";

/** Header values as node gives them (`IncomingMessage.headers`) or as plain strings. */
export type HeaderInput =
  | Readonly<Record<string, string | readonly string[] | number | undefined>>
  | readonly (readonly [string, string])[];

/** One finished exchange, as the proxy saw it; {@link buildEntry} makes a HAR entry of it. */
export interface Exchange {
  /** Epoch milliseconds when the request arrived. */
  startedAt: number;
  method: string;
  /** Absolute URL the client called (`http://127.0.0.1:3456/v1/messages`). */
  url: string;
  requestHeaders: HeaderInput;
  /** Request body text, when there was one. */
  requestBody?: string;
  status: number;
  statusText?: string;
  responseHeaders: HeaderInput;
  /**
   * The response body: one string for a complete response, or the chunks of a stream with
   * their arrival offsets (milliseconds from the response head).
   */
  responseBody: string | readonly TimedChunk[];
  /** Milliseconds from the request's arrival to the response head. */
  waitMs: number;
  /** Milliseconds from the response head to its end. */
  receiveMs: number;
  /** What the proxy made of the request (dialect, backend, model). */
  meta?: EntryMeta;
}

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).byteLength;

/** Header pairs in the order given; multi-valued headers become several pairs. */
export function toNameValues(headers: HeaderInput): HarNameValue[] {
  const out: HarNameValue[] = [];
  const entries = Array.isArray(headers)
    ? (headers as readonly (readonly [string, string])[])
    : Object.entries(headers as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.push({ name, value: String(v) });
    else out.push({ name, value: String(value) });
  }
  return out;
}

function headerValue(headers: HarNameValue[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name)?.value;
}

function queryOf(url: string): HarNameValue[] {
  if (!url.includes("?")) return [];
  return [...new URL(url, "http://localhost").searchParams].map(([name, value]) => ({
    name,
    value,
  }));
}

/**
 * Makes a HAR 1.2 entry of one exchange (not yet scrubbed: pass it through a scrubber before
 * it is stored). A streamed body keeps its whole text plus `_sseEvents` arrival offsets.
 *
 * @example
 * const entry = buildEntry({ startedAt: Date.now(), method: "POST", url, requestHeaders: {},
 *   requestBody: "{}", status: 200, responseHeaders: {}, responseBody: "{}", waitMs: 3, receiveMs: 0 });
 */
export function buildEntry(exchange: Exchange): HarEntry {
  const requestHeaders = toNameValues(exchange.requestHeaders);
  const responseHeaders = toNameValues(exchange.responseHeaders);
  const mimeType = headerValue(responseHeaders, "content-type") ?? "application/octet-stream";
  let text: string;
  let sse: ReturnType<typeof timeSseEvents> | undefined;
  if (typeof exchange.responseBody === "string") text = exchange.responseBody;
  else {
    sse = timeSseEvents(exchange.responseBody);
    text = sse.text;
  }
  const size = byteLength(text);
  const body = exchange.requestBody;
  const wait = Math.max(0, exchange.waitMs);
  const receive = Math.max(0, exchange.receiveMs);
  const entry: HarEntry = {
    startedDateTime: new Date(exchange.startedAt).toISOString(),
    time: Math.round((wait + receive) * 10) / 10,
    request: {
      method: exchange.method,
      url: exchange.url,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: requestHeaders,
      queryString: queryOf(exchange.url),
      ...(body !== undefined
        ? {
            postData: {
              mimeType: headerValue(requestHeaders, "content-type") ?? "application/json",
              text: body,
            },
          }
        : {}),
      headersSize: -1,
      bodySize: body === undefined ? 0 : byteLength(body),
    },
    response: {
      status: exchange.status,
      statusText: exchange.statusText ?? "",
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: responseHeaders,
      content: {
        size,
        mimeType,
        text,
        ...(sse !== undefined ? { _sseEvents: sse.events } : {}),
      },
      redirectURL: "",
      headersSize: -1,
      bodySize: size,
    },
    cache: {},
    timings: {
      send: 0,
      wait: Math.round(wait * 10) / 10,
      receive: Math.round(receive * 10) / 10,
    },
  };
  if (exchange.meta !== undefined) entry._switchyard = { ...exchange.meta };
  return entry;
}
