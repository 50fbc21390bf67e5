import { responsesMockHandler } from "./mock-responses.js";
import { lastUserText, type MockHandler, sendJson, sendSse } from "./mock-upstream.js";

/** A 1×1 PNG, base64: the image the SDK tests send. */
export const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

type Json = Record<string, unknown>;

/** Counts image parts in either dialect's messages. */
function countImages(body: Json | undefined): number {
  let n = 0;
  for (const m of (body?.messages ?? []) as Json[]) {
    if (!Array.isArray(m.content)) continue;
    for (const p of m.content as Json[]) if (p.type === "image_url" || p.type === "image") n += 1;
  }
  return n;
}

/**
 * A `max_tokens` this small (or 16, the least a Responses caller may ask for) cuts the answer
 * after that many words (the finish reason says so): how the tests see a token-limit cut-off.
 * Other limits never cut.
 */
function cutAt(body: Json | undefined): number | undefined {
  const max = body?.max_completion_tokens ?? body?.max_tokens;
  return typeof max === "number" && (max <= 3 || max === 16) ? max : undefined;
}

/** What a mock model "decides": a tool call, or text cut at a stop sequence. */
function decide(body: Json | undefined, who: string, stops: string[]) {
  const messages = (body?.messages ?? []) as Json[];
  const last = messages.at(-1) ?? {};
  const lastContent = Array.isArray(last.content) ? (last.content as Json[]) : [];
  const toolResult =
    last.role === "tool"
      ? String(last.content)
      : lastContent.find((b) => b.type === "tool_result")?.content;
  if (toolResult !== undefined) {
    return {
      text: `${who} got tool result: ${typeof toolResult === "string" ? toolResult : JSON.stringify(toolResult)}`,
    };
  }
  const text = lastUserText(body);
  const tools = (body?.tools ?? []) as Json[];
  if (tools.length > 0 && text.includes("weather")) {
    return { tool: { name: "get_weather", args: { city: "Paris" } } };
  }
  const images = countImages(body);
  let answer = `${who} says: ${text}${images > 0 ? ` (saw ${images} image${images > 1 ? "s" : ""})` : ""}`;
  let stop: string | undefined;
  for (const s of stops) {
    const at = answer.indexOf(s);
    if (at >= 0) {
      answer = answer.slice(0, at);
      stop = s;
    }
  }
  const cut = cutAt(body);
  if (cut !== undefined && words(answer).length > cut) {
    return { text: words(answer).slice(0, cut).join(""), stop, length: true };
  }
  return { text: answer, stop, length: false };
}

function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [text];
}

/** A mock OpenAI-compatible server: `/v1/models` and `/v1/chat/completions` (JSON and SSE). */
export const openAIMockHandler: MockHandler = async (request, res) => {
  if (request.method === "GET" && request.path.endsWith("/models")) {
    sendJson(res, 200, {
      object: "list",
      data: [
        { id: "gpt-mock-1", object: "model", created: 1700000000, owned_by: "mock" },
        { id: "gpt-mock-2", object: "model", created: 1700000001, owned_by: "mock" },
      ],
    });
    return;
  }
  if (request.path.endsWith("/responses") || request.path.endsWith("/responses/input_tokens"))
    return responsesMockHandler(request, res);
  const body = request.body ?? {};
  const stopField = body.stop;
  const stops =
    typeof stopField === "string"
      ? [stopField]
      : Array.isArray(stopField)
        ? (stopField as string[])
        : [];
  const plan = decide(body, "mock-openai", stops);
  const model = String(body.model);
  const usage = {
    prompt_tokens: 21,
    completion_tokens: 7,
    total_tokens: 28,
    prompt_tokens_details: { cached_tokens: 4 },
  };
  if (body.stream !== true) {
    const message = plan.tool
      ? {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_mock1",
              type: "function",
              function: { name: plan.tool.name, arguments: JSON.stringify(plan.tool.args) },
            },
          ],
        }
      : { role: "assistant", content: plan.text };
    sendJson(res, 200, {
      id: "chatcmpl-mock1",
      object: "chat.completion",
      created: 1700000000,
      model,
      choices: [
        {
          index: 0,
          message,
          finish_reason: plan.tool ? "tool_calls" : plan.length ? "length" : "stop",
          logprobs: null,
        },
      ],
      usage,
    });
    return;
  }
  const chunk = (delta: Json, finish: string | null = null, extra: Json = {}) =>
    `data: ${JSON.stringify({ id: "chatcmpl-mock1", object: "chat.completion.chunk", created: 1700000000, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  const events: string[] = [chunk({ role: "assistant", content: "" })];
  if (plan.tool) {
    const args = JSON.stringify(plan.tool.args);
    events.push(
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_mock1",
            type: "function",
            function: { name: plan.tool.name, arguments: "" },
          },
        ],
      }),
    );
    events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, 5) } }] }));
    events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(5) } }] }));
    events.push(chunk({}, "tool_calls"));
  } else {
    for (const w of words(plan.text ?? "")) events.push(chunk({ content: w }));
    events.push(chunk({}, plan.length ? "length" : "stop"));
  }
  const options = body.stream_options as Json | undefined;
  if (options?.include_usage === true) {
    events.push(
      `data: ${JSON.stringify({ id: "chatcmpl-mock1", object: "chat.completion.chunk", created: 1700000000, model, choices: [], usage })}\n\n`,
    );
  }
  events.push("data: [DONE]\n\n");
  await sendSse(res, events);
};

const sse = (data: Json) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

/** A mock Anthropic server: `/v1/messages` (JSON and SSE), `count_tokens`, `/v1/models`. */
export const anthropicMockHandler: MockHandler = async (request, res) => {
  if (request.method === "GET" && request.path.startsWith("/v1/models")) {
    sendJson(res, 200, {
      data: [
        {
          type: "model",
          id: "claude-mock-1",
          display_name: "Claude Mock",
          created_at: "2025-01-01T00:00:00Z",
        },
      ],
      has_more: false,
    });
    return;
  }
  const body = request.body ?? {};
  if (request.path === "/v1/messages/count_tokens") {
    sendJson(res, 200, { input_tokens: 42 });
    return;
  }
  const plan = decide(body, "mock-anthropic", (body.stop_sequences as string[] | undefined) ?? []);
  const model = String(body.model);
  const stopReason = plan.tool
    ? "tool_use"
    : plan.length
      ? "max_tokens"
      : plan.stop
        ? "stop_sequence"
        : "end_turn";
  const usage = {
    input_tokens: 30,
    output_tokens: 9,
    cache_read_input_tokens: 5,
    cache_creation_input_tokens: 0,
  };
  if (body.stream !== true) {
    sendJson(
      res,
      200,
      {
        id: "msg_mock1",
        type: "message",
        role: "assistant",
        model,
        content: plan.tool
          ? [{ type: "tool_use", id: "toolu_mock1", name: plan.tool.name, input: plan.tool.args }]
          : [{ type: "text", text: plan.text }],
        stop_reason: stopReason,
        stop_sequence: plan.stop ?? null,
        usage,
      },
      { "request-id": "req_mock1" },
    );
    return;
  }
  const events = [
    sse({
      type: "message_start",
      message: {
        id: "msg_mock1",
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    sse({ type: "ping" }),
  ];
  if (plan.tool) {
    const args = JSON.stringify(plan.tool.args);
    events.push(
      sse({
        type: "content_block_start",
        index: 0,
        content_block: { type: "tool_use", id: "toolu_mock1", name: plan.tool.name, input: {} },
      }),
    );
    events.push(
      sse({
        type: "content_block_delta",
        index: 0,
        delta: { type: "input_json_delta", partial_json: args.slice(0, 5) },
      }),
    );
    events.push(
      sse({
        type: "content_block_delta",
        index: 0,
        delta: { type: "input_json_delta", partial_json: args.slice(5) },
      }),
    );
  } else {
    events.push(
      sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
    );
    for (const w of words(plan.text ?? "")) {
      events.push(
        sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: w } }),
      );
    }
  }
  events.push(sse({ type: "content_block_stop", index: 0 }));
  events.push(
    sse({
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: plan.stop ?? null },
      usage: { output_tokens: 9 },
    }),
  );
  events.push(sse({ type: "message_stop" }));
  await sendSse(res, events);
};
