import { describe, expect, it } from "vitest";
import type { ResponsesStreamEvent } from "../types/responses.js";
import { lifecycleHead, messageAddedHead, PrebuiltEvents } from "./responses-prebuilt.js";
import { serializeResponsesStreamEvent } from "./serialize-responses.js";

describe("PrebuiltEvents", () => {
  it("writes a noted event from its template as serializeResponsesStreamEvent would, at any sequence number", () => {
    for (const sequence of [0, 1, 255, 256, 4096, 123_456]) {
      const prebuilt = new PrebuiltEvents();
      const out: ResponsesStreamEvent[] = [];
      const item = {
        type: "message",
        id: 'msg_"1',
        role: "assistant",
        status: "in_progress",
        content: [],
      };
      const event = {
        type: "response.output_item.added",
        output_index: 3,
        item,
        sequence_number: sequence,
      } as unknown as ResponsesStreamEvent;
      prebuilt.note(out, messageAddedHead(JSON.stringify(item.id), 3));
      out.push(event);
      expect(prebuilt.sse(event)).toBe(serializeResponsesStreamEvent(event));
    }
  });

  it("a lifecycle event's template holds the response's JSON; none without it", () => {
    const response = { id: "resp_1", status: "in_progress", output: [] };
    const event = { type: "response.created", response, sequence_number: 0 };
    const prebuilt = new PrebuiltEvents();
    const out: ResponsesStreamEvent[] = [];
    prebuilt.note(out, lifecycleHead("response.created", JSON.stringify(response)));
    out.push(event as unknown as ResponsesStreamEvent);
    expect(prebuilt.sse(out[0] as ResponsesStreamEvent)).toBe(
      serializeResponsesStreamEvent(out[0] as ResponsesStreamEvent),
    );
    expect(lifecycleHead("response.created", undefined)).toBeUndefined();
  });
});
