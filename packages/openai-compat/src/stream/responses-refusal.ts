import type { ResponsesOutputMessage, ResponsesOutputRefusal } from "../types/responses.js";

/**
 * A message item's refusal part, streamed as OpenAI's Responses API streams one: the part
 * added empty (`response.content_part.added`), `response.refusal.delta` for each piece,
 * `response.refusal.done`, `response.content_part.done`. A Chat Completions `delta.refusal`
 * becomes this (never `output_text`, which a client would show as the answer), as the
 * unstreamed conversion gives a `refusal` part.
 */
type Emit = (event: Record<string, unknown>) => void;

interface RefusalItem {
  itemId: string;
  outputIndex: number;
}

/** `response.content_part.added` of a refusal part. */
export function emitRefusalPartAdded(emit: Emit, item: RefusalItem): void {
  emit({
    type: "response.content_part.added",
    item_id: item.itemId,
    output_index: item.outputIndex,
    content_index: 0,
    part: { type: "refusal", refusal: "" },
    sequence_number: 0,
  });
}

/** `response.refusal.delta` for `delta`. */
export function emitRefusalDelta(emit: Emit, item: RefusalItem, delta: string): void {
  emit({
    type: "response.refusal.delta",
    item_id: item.itemId,
    output_index: item.outputIndex,
    content_index: 0,
    delta,
    sequence_number: 0,
  });
}

/**
 * The closing events of a refusal part (`response.refusal.done`, `response.content_part.done`);
 * returns the done message item, for `response.output_item.done` and the response's `output`.
 */
export function emitRefusalDone(
  emit: Emit,
  item: RefusalItem,
  message: ResponsesOutputMessage,
  refusal: string,
  status: "completed" | "incomplete",
): ResponsesOutputMessage {
  const part: ResponsesOutputRefusal = { type: "refusal", refusal };
  const at = { item_id: item.itemId, output_index: item.outputIndex, content_index: 0 };
  emit({ type: "response.refusal.done", ...at, refusal, sequence_number: 0 });
  emit({ type: "response.content_part.done", ...at, part, sequence_number: 0 });
  return { ...message, content: [part], status };
}
