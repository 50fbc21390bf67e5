/**
 * HAR 1.2 types (http://www.softwareishard.com/blog/har-12-spec/) as switchyard writes them,
 * with the two documented extension fields (HAR reserves `_`-prefixed names for that):
 *
 * - `log._switchyard` ({@link CaptureHeader}): which tool was recorded and how.
 * - `entry._switchyard` ({@link EntryMeta}): the dialect, backend and model of one exchange.
 * - `response.content._sseEvents` ({@link SseEventTiming}[]): for a streamed response, where
 *   each SSE event ends in `content.text` and when it arrived.
 */

/** A name/value pair (headers, query parameters, cookies). */
export interface HarNameValue {
  name: string;
  value: string;
}

/** `log.creator` / `log.browser`. */
export interface HarCreator {
  name: string;
  version: string;
}

/** A request as HAR 1.2 records it. */
export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: { mimeType: string; text: string };
  headersSize: number;
  bodySize: number;
}

/**
 * When one SSE event of a streamed response arrived. Events are consecutive slices of
 * `content.text`: event `i` is `text.slice(events[i-1].end ?? 0, events[i].end)`.
 */
export interface SseEventTiming {
  /** Milliseconds from the response head to the arrival of the event's last byte. */
  offsetMs: number;
  /** End of the event in `content.text` (UTF-16 index, exclusive; includes the blank line). */
  end: number;
}

/** A response body. */
export interface HarContent {
  size: number;
  mimeType: string;
  text?: string;
  /** switchyard extension: arrival of each SSE event of a streamed response. */
  _sseEvents?: SseEventTiming[];
}

/** A response as HAR 1.2 records it. */
export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
}

/** HAR timings; switchyard fills `wait` (to the response head) and `receive` (the body). */
export interface HarTimings {
  send: number;
  wait: number;
  receive: number;
  blocked?: number;
  dns?: number;
  connect?: number;
  ssl?: number;
}

/** Per-exchange switchyard extension: what the proxy made of the request. */
export interface EntryMeta {
  /** The API the client spoke. */
  dialect?: "anthropic" | "openai";
  /** The backend that served it. */
  backend?: string;
  /** The model the client asked for. */
  model?: string;
  /** True when the response was a stream. */
  stream?: boolean;
  /** The proxy's id of the request (its request-log `id`), to find the entry again. */
  requestId?: string;
}

/** One exchange. */
export interface HarEntry {
  startedDateTime: string;
  /** Total milliseconds, the sum of the non-negative timings. */
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: HarTimings;
  _switchyard?: EntryMeta;
}

/** The capture-level switchyard extension. */
export interface CaptureHeader {
  /** The recorded tool, e.g. `claude`; from the launcher or the first request's user-agent. */
  tool?: string;
  /** The tool's version when its user-agent says it. */
  toolVersion?: string;
  /** The dialect of the first exchange. */
  dialect?: "anthropic" | "openai";
  /** The backend of the first exchange. */
  backend?: string;
  /** The model of the first exchange. */
  model?: string;
  /** Set when the recorder stopped early (size limit); says why. */
  stopped?: string;
}

/** A whole HAR 1.2 file. */
export interface HarLog {
  log: {
    version: "1.2";
    creator: HarCreator;
    browser?: HarCreator;
    pages?: unknown[];
    entries: HarEntry[];
    comment?: string;
    _switchyard?: CaptureHeader;
  };
}
