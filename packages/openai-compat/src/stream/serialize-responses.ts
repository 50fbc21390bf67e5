import type { ResponsesResponse, ResponsesStreamEvent } from "../types/responses.js";

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
 * A serialiser for the events of one stream that writes the same `response` object once:
 * `response.created` and `response.in_progress` carry the same snapshot (with the request's
 * tools and instructions echoed, often kilobytes), so the second reuses the first's JSON.
 * Output is byte-identical to {@link serializeResponsesStreamEvent}, provided a `response`
 * object is not changed after an event carrying it was serialised (translators never do).
 *
 * @example
 * const serialize = createResponsesStreamSerializer();
 * for (const event of translator.push(item)) res.write(serialize(event));
 */
export function createResponsesStreamSerializer(): (event: ResponsesStreamEvent) => string {
  let last: ResponsesResponse | undefined;
  let lastJson = "";
  return (event) => {
    const response = (event as { response?: ResponsesResponse }).response;
    if (response === undefined || !hasLifecycleKeys(event))
      return serializeResponsesStreamEvent(event);
    if (response !== last) {
      last = response;
      lastJson = JSON.stringify(response);
    }
    return `event: ${event.type}\ndata: {"type":${JSON.stringify(event.type)},"response":${lastJson},"sequence_number":${JSON.stringify(event.sequence_number)}}\n\n`;
  };
}

/** True when the event's own keys are exactly `type`, `response`, `sequence_number`, in order. */
function hasLifecycleKeys(event: object): boolean {
  let i = 0;
  for (const key in event) {
    if (key !== LIFECYCLE_KEYS[i++]) return false;
  }
  return i === LIFECYCLE_KEYS.length;
}

const LIFECYCLE_KEYS = ["type", "response", "sequence_number"];

/** Parses the `data` of one Responses SSE event. */
export function parseResponsesStreamData(data: string): ResponsesStreamEvent {
  return JSON.parse(data) as ResponsesStreamEvent;
}
