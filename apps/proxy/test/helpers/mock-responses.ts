import { type MockHandler, sendJson, sendSse } from "./mock-upstream.js";

type Json = Record<string, unknown>;

/** The text of a message item's content (string or input_text parts). */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return (content as Json[]).map((p) => (typeof p.text === "string" ? p.text : "")).join("");
}

/** What the mock Responses model answers: a tool call, a tool result echo, or the user text. */
function decide(body: Json) {
  const input =
    typeof body.input === "string"
      ? [{ role: "user", content: body.input }]
      : ((body.input ?? []) as Json[]);
  const last = input.at(-1) ?? {};
  if (last.type === "function_call_output") {
    return {
      text: `mock-responses got tool result: ${textOf(last.output)} (${String(last.call_id)})`,
    };
  }
  const user = [...input].reverse().find((i) => i.role === "user");
  const text = textOf(user?.content);
  const tools = (body.tools ?? []) as Json[];
  const named = tools.find(
    (t) => t.type === "function" && typeof t.name === "string" && text.includes(`call ${t.name}`),
  );
  if (named !== undefined)
    return { tool: { name: String(named.name), args: { command: "echo hi" } } };
  if (tools.length > 0 && text.includes("weather"))
    return { tool: { name: "get_weather", args: { city: "Paris" } } };
  return { text: `mock-responses says: ${text}` };
}

/** What the mock's `POST /v1/responses/input_tokens` counts, whatever the body. */
export const MOCK_INPUT_TOKENS = 77;

/**
 * A mock upstream speaking only the OpenAI Responses API (`POST /v1/responses`, JSON and
 * SSE; `POST /v1/responses/input_tokens` counts {@link MOCK_INPUT_TOKENS}), written from the API reference's shapes, independent of the translators under test.
 * `max_output_tokens` ≤ 3 or 16 (the least the API takes) cuts the text after that many
 * words (`incomplete`).
 */
export const responsesMockHandler: MockHandler = async (request, res) => {
  const body = request.body ?? {};
  if (request.path.endsWith("/responses/input_tokens")) {
    sendJson(res, 200, { object: "response.input_tokens", input_tokens: MOCK_INPUT_TOKENS });
    return;
  }
  const plan = decide(body);
  const max = body.max_output_tokens;
  let text = plan.text;
  let incomplete = false;
  if (text !== undefined && typeof max === "number" && (max <= 3 || max === 16)) {
    text = (text.match(/\s*\S+\s*/g) ?? [text]).slice(0, max).join("");
    incomplete = true;
  }
  const args = plan.tool ? JSON.stringify(plan.tool.args) : "";
  const reasoning = {
    id: "rs_mock1",
    type: "reasoning",
    summary: [{ type: "summary_text", text: "Thinking it over." }],
  };
  const message = {
    id: "msg_mock1",
    type: "message",
    role: "assistant",
    status: incomplete ? "incomplete" : "completed",
    content: [{ type: "output_text", text: text ?? "", annotations: [] }],
  };
  const call = plan.tool
    ? {
        id: "fc_mock1",
        type: "function_call",
        status: "completed",
        call_id: "call_resp1",
        name: plan.tool.name,
        arguments: args,
      }
    : undefined;
  const output = call ? [reasoning, call] : [reasoning, message];
  const usage = {
    input_tokens: 40,
    input_tokens_details: { cached_tokens: 8 },
    output_tokens: 11,
    output_tokens_details: { reasoning_tokens: 3 },
    total_tokens: 51,
  };
  const base = {
    id: "resp_mock1",
    object: "response",
    created_at: 1700000000,
    model: String(body.model),
    error: null,
    incomplete_details: null,
    tools: body.tools ?? [],
    tool_choice: "auto",
    parallel_tool_calls: true,
    temperature: 1,
    top_p: 1,
    metadata: {},
    usage: null,
    output: [] as unknown[],
  };
  const final = {
    ...base,
    status: incomplete ? "incomplete" : "completed",
    incomplete_details: incomplete ? { reason: "max_output_tokens" } : null,
    output,
    usage,
  };
  if (body.stream !== true) {
    sendJson(res, 200, final);
    return;
  }
  let seq = 0;
  const ev = (type: string, fields: Json) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...fields })}\n\n`;
  const events = [
    ev("response.created", { response: { ...base, status: "in_progress" } }),
    ev("response.in_progress", { response: { ...base, status: "in_progress" } }),
    ev("response.output_item.added", { output_index: 0, item: { ...reasoning, summary: [] } }),
    ev("response.reasoning_summary_part.added", {
      item_id: "rs_mock1",
      output_index: 0,
      summary_index: 0,
      part: { type: "summary_text", text: "" },
    }),
    ev("response.reasoning_summary_text.delta", {
      item_id: "rs_mock1",
      output_index: 0,
      summary_index: 0,
      delta: "Thinking it over.",
    }),
    ev("response.reasoning_summary_text.done", {
      item_id: "rs_mock1",
      output_index: 0,
      summary_index: 0,
      text: "Thinking it over.",
    }),
    ev("response.reasoning_summary_part.done", {
      item_id: "rs_mock1",
      output_index: 0,
      summary_index: 0,
      part: { type: "summary_text", text: "Thinking it over." },
    }),
    ev("response.output_item.done", { output_index: 0, item: reasoning }),
  ];
  if (call) {
    events.push(
      ev("response.output_item.added", {
        output_index: 1,
        item: { ...call, status: "in_progress", arguments: "" },
      }),
    );
    events.push(
      ev("response.function_call_arguments.delta", {
        item_id: "fc_mock1",
        output_index: 1,
        delta: args.slice(0, 6),
      }),
    );
    events.push(
      ev("response.function_call_arguments.delta", {
        item_id: "fc_mock1",
        output_index: 1,
        delta: args.slice(6),
      }),
    );
    events.push(
      ev("response.function_call_arguments.done", {
        item_id: "fc_mock1",
        output_index: 1,
        arguments: args,
      }),
    );
    events.push(ev("response.output_item.done", { output_index: 1, item: call }));
  } else {
    events.push(
      ev("response.output_item.added", {
        output_index: 1,
        item: { ...message, status: "in_progress", content: [] },
      }),
    );
    events.push(
      ev("response.content_part.added", {
        item_id: "msg_mock1",
        output_index: 1,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [] },
      }),
    );
    for (const w of (text ?? "").match(/\s*\S+\s*/g) ?? []) {
      events.push(
        ev("response.output_text.delta", {
          item_id: "msg_mock1",
          output_index: 1,
          content_index: 0,
          delta: w,
          logprobs: [],
        }),
      );
    }
    events.push(
      ev("response.output_text.done", {
        item_id: "msg_mock1",
        output_index: 1,
        content_index: 0,
        text,
        logprobs: [],
      }),
    );
    events.push(
      ev("response.content_part.done", {
        item_id: "msg_mock1",
        output_index: 1,
        content_index: 0,
        part: message.content[0],
      }),
    );
    events.push(ev("response.output_item.done", { output_index: 1, item: message }));
  }
  events.push(ev(incomplete ? "response.incomplete" : "response.completed", { response: final }));
  await sendSse(res, events);
};
