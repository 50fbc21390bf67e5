import { CaptureError } from "./errors.js";
import type { CaptureHeader, HarCreator, HarEntry, HarLog } from "./har.js";

/**
 * The on-disk layout the recorder keeps (always a valid HAR file between appends):
 *
 *     {"log":{"version":"1.2","creator":{…},"entries":[      <- head, written once
 *     {…entry 1…},                                          <- one entry a line
 *     {…entry 2…}
 *     ],"browser":{…},"_switchyard":{…}}}                   <- tail, rewritten each append
 *
 * An append overwrites the tail with `,\n<entry>` + the new tail. A crash between appends
 * leaves a complete file; a crash in the middle of one leaves a torn last line, which
 * {@link parseCassette} drops (losing only the exchange that was being written).
 */
export function cassetteHead(creator: HarCreator): string {
  return `{"log":{"version":"1.2","creator":${JSON.stringify(creator)},"entries":[`;
}

/** The closing part of a cassette: the capture header and an optional comment. */
export function cassetteTail(options: {
  header?: CaptureHeader;
  browser?: HarCreator;
  comment?: string;
}): string {
  let tail = "\n]";
  if (options.browser !== undefined) tail += `,"browser":${JSON.stringify(options.browser)}`;
  if (options.comment !== undefined) tail += `,"comment":${JSON.stringify(options.comment)}`;
  if (options.header !== undefined) tail += `,"_switchyard":${JSON.stringify(options.header)}`;
  return `${tail}}}\n`;
}

/** Serialises a whole capture in the recorder's layout (one entry a line). */
export function serializeCassette(har: HarLog): string {
  const { log } = har;
  const entries = log.entries.map((e) => JSON.stringify(e)).join(",\n");
  return (
    cassetteHead(log.creator) +
    (entries.length > 0 ? `\n${entries}` : "") +
    cassetteTail({
      ...(log._switchyard !== undefined ? { header: log._switchyard } : {}),
      ...(log.browser !== undefined ? { browser: log.browser } : {}),
      ...(log.comment !== undefined ? { comment: log.comment } : {}),
    })
  );
}

/**
 * Reads a HAR 1.2 capture (any HAR file, not only switchyard's). A switchyard capture cut off
 * in the middle of an append is repaired: every complete entry is kept.
 * Throws `CaptureError("invalid_cassette")` for anything else.
 *
 * @example
 * const har = parseCassette(await readFile("claude.har", "utf8"));
 * console.log(har.log.entries.length);
 */
export function parseCassette(text: string): HarLog {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const repaired = repairTorn(text);
    if (repaired === undefined) {
      throw new CaptureError("invalid_cassette", "not a HAR file: the text is not JSON", {
        cause: error,
      });
    }
    value = repaired;
  }
  return validateShape(value);
}

function repairTorn(text: string): HarLog | undefined {
  const lines = text.split("\n");
  const head = lines[0] ?? "";
  if (!head.startsWith('{"log":') || !head.endsWith('"entries":[')) return undefined;
  let log: HarLog["log"];
  try {
    log = (JSON.parse(`${head}]}}`) as HarLog).log;
  } catch {
    return undefined;
  }
  for (const line of lines.slice(1)) {
    try {
      log.entries.push(JSON.parse(line.endsWith(",") ? line.slice(0, -1) : line) as HarEntry);
    } catch {
      break;
    }
  }
  log.comment = "repaired: the capture was cut off while an exchange was being written";
  return { log };
}

function validateShape(value: unknown): HarLog {
  const log = (value as { log?: unknown } | null)?.log as HarLog["log"] | undefined;
  if (typeof log !== "object" || log === null || !Array.isArray(log.entries)) {
    throw new CaptureError("invalid_cassette", "not a HAR file: log.entries is missing");
  }
  log.entries.forEach((entry, i) => {
    const request = entry?.request;
    const response = entry?.response;
    if (
      typeof request?.method !== "string" ||
      typeof request.url !== "string" ||
      !Array.isArray(request.headers) ||
      typeof response?.status !== "number" ||
      !Array.isArray(response.headers) ||
      typeof response.content !== "object"
    ) {
      throw new CaptureError(
        "invalid_cassette",
        `not a HAR file: log.entries[${i}] lacks request.method/url/headers or response.status/headers/content`,
      );
    }
  });
  return value as HarLog;
}

/** The request path of an entry (`/v1/messages`), without host or query. */
export function entryPath(entry: HarEntry): string {
  const url = entry.request.url;
  try {
    return new URL(url, "http://localhost").pathname;
  } catch {
    return url;
  }
}

/** The JSON request body of an entry, or undefined when it has none or it is not JSON. */
export function entryJsonBody(entry: HarEntry): Record<string, unknown> | undefined {
  const text = entry.request.postData?.text;
  if (text === undefined) return undefined;
  try {
    const body = JSON.parse(text) as unknown;
    return typeof body === "object" && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
