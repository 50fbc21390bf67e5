import { randomBytes } from "node:crypto";

/**
 * The closing `response.failed` event for a native Responses stream relayed byte for byte that
 * broke off: it names the response the client saw created (its id from the first chunk) and
 * continues the upstream's sequence numbers, so an SDK ends the stream as failed instead of
 * with a bare error object or a forged completion.
 */
export function responsesFailedSse(options: {
  /** The first bytes relayed (they hold `response.created`). */
  first: Buffer | undefined;
  /** The last complete events relayed. */
  last: Buffer | undefined;
  message: string;
  now?: () => number;
}): string {
  const { first, last, message, now = Date.now } = options;
  const head = first?.toString("utf8", 0, Math.min(first.length, 4096)) ?? "";
  // Nothing was created (the upstream broke off before its first event): the client is told
  // of a response that was created and failed, as the translated paths do, since a Responses
  // stream starts with `response.created` for every SDK.
  const created = head.includes('"type":"response.created"');
  const id =
    /"response":\{"id":"([^"\\]{1,200})"/.exec(head)?.[1] ??
    `resp_${randomBytes(16).toString("hex")}`;
  const model = /"model":"([^"\\]{1,200})"/.exec(head)?.[1] ?? "";
  let sequence = 0;
  const tail = last?.toString("latin1", Math.max(0, last.length - 512)) ?? "";
  for (const m of tail.matchAll(/"sequence_number":(\d+)/g)) sequence = Number(m[1]) + 1;
  const response = {
    id,
    object: "response",
    created_at: Math.floor(now() / 1000),
    status: "in_progress",
    error: null as { code: string; message: string } | null,
    incomplete_details: null,
    model,
    output: [],
    usage: null,
  };
  let out = "";
  if (!created) {
    const start = { type: "response.created", response, sequence_number: sequence++ };
    out = `event: response.created\ndata: ${JSON.stringify(start)}\n\n`;
  }
  const failed = {
    type: "response.failed",
    response: { ...response, status: "failed", error: { code: "server_error", message } },
    sequence_number: sequence,
  };
  return `${out}event: response.failed\ndata: ${JSON.stringify(failed)}\n\n`;
}
