import type { ResponsesStreamEvent } from "../types/responses.js";

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

/** Parses the `data` of one Responses SSE event. */
export function parseResponsesStreamData(data: string): ResponsesStreamEvent {
  return JSON.parse(data) as ResponsesStreamEvent;
}
