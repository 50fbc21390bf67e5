import type { EchoPlan } from "./echo-plan.js";

/** Ids and model the rendered answer carries. */
export interface EchoIds {
  id: string;
  toolId: string;
  model: string;
  created: number;
}

/** Splits text into word-sized pieces (whitespace kept) so streams have several deltas. */
export function splitPieces(text: string): string[] {
  const pieces = text.match(/\s*\S+\s*/g);
  return pieces === null || pieces.length === 0 ? [text] : pieces;
}

const anthropicStop = (plan: EchoPlan) =>
  plan.tool
    ? "tool_use"
    : plan.truncated
      ? "max_tokens"
      : plan.stopSequence !== undefined
        ? "stop_sequence"
        : "end_turn";

const openAIFinish = (plan: EchoPlan) =>
  plan.tool ? "tool_calls" : plan.truncated ? "length" : "stop";

/** An Anthropic `Message` for the plan. */
export function renderAnthropicMessage(plan: EchoPlan, ids: EchoIds): Record<string, unknown> {
  const content = plan.tool
    ? [{ type: "tool_use", id: ids.toolId, name: plan.tool.name, input: plan.tool.input }]
    : [{ type: "text", text: plan.text ?? "" }];
  return {
    id: ids.id,
    type: "message",
    role: "assistant",
    model: ids.model,
    content,
    stop_reason: anthropicStop(plan),
    stop_sequence: plan.stopSequence ?? null,
    usage: { input_tokens: plan.inputTokens, output_tokens: plan.outputTokens },
  };
}

const sse = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

/** The Anthropic SSE events for the plan, one string per event. */
export function renderAnthropicStream(plan: EchoPlan, ids: EchoIds): string[] {
  const events: string[] = [];
  events.push(
    sse("message_start", {
      type: "message_start",
      message: {
        id: ids.id,
        type: "message",
        role: "assistant",
        model: ids.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: plan.inputTokens, output_tokens: 1 },
      },
    }),
  );
  if (plan.tool) {
    const json = JSON.stringify(plan.tool.input);
    const half = Math.ceil(json.length / 2);
    events.push(
      sse("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "tool_use", id: ids.toolId, name: plan.tool.name, input: {} },
      }),
    );
    for (const part of [json.slice(0, half), json.slice(half)]) {
      if (part.length === 0) continue;
      events.push(
        sse("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "input_json_delta", partial_json: part },
        }),
      );
    }
  } else {
    events.push(
      sse("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "text", text: "" },
      }),
    );
    for (const piece of splitPieces(plan.text ?? "")) {
      events.push(
        sse("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: piece },
        }),
      );
    }
  }
  events.push(sse("content_block_stop", { type: "content_block_stop", index: 0 }));
  events.push(
    sse("message_delta", {
      type: "message_delta",
      delta: { stop_reason: anthropicStop(plan), stop_sequence: plan.stopSequence ?? null },
      usage: { input_tokens: plan.inputTokens, output_tokens: plan.outputTokens },
    }),
  );
  events.push(sse("message_stop", { type: "message_stop" }));
  return events;
}

const openAIUsage = (plan: EchoPlan) => ({
  prompt_tokens: plan.inputTokens,
  completion_tokens: plan.outputTokens,
  total_tokens: plan.inputTokens + plan.outputTokens,
});

/** An OpenAI `chat.completion` for the plan. */
export function renderOpenAICompletion(plan: EchoPlan, ids: EchoIds): Record<string, unknown> {
  const message = plan.tool
    ? {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: ids.toolId,
            type: "function",
            function: { name: plan.tool.name, arguments: JSON.stringify(plan.tool.input) },
          },
        ],
      }
    : { role: "assistant", content: plan.text ?? "" };
  return {
    id: ids.id,
    object: "chat.completion",
    created: ids.created,
    model: ids.model,
    choices: [{ index: 0, message, finish_reason: openAIFinish(plan), logprobs: null }],
    usage: openAIUsage(plan),
  };
}

/** The OpenAI SSE `data:` lines for the plan, ending with `[DONE]`. */
export function renderOpenAIStream(plan: EchoPlan, ids: EchoIds, includeUsage: boolean): string[] {
  const chunk = (delta: unknown, finish: string | null) =>
    `data: ${JSON.stringify({
      id: ids.id,
      object: "chat.completion.chunk",
      created: ids.created,
      model: ids.model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    })}\n\n`;
  const out: string[] = [];
  if (plan.tool) {
    const json = JSON.stringify(plan.tool.input);
    out.push(
      chunk(
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              index: 0,
              id: ids.toolId,
              type: "function",
              function: { name: plan.tool.name, arguments: "" },
            },
          ],
        },
        null,
      ),
    );
    out.push(chunk({ tool_calls: [{ index: 0, function: { arguments: json } }] }, null));
    out.push(chunk({}, "tool_calls"));
  } else {
    out.push(chunk({ role: "assistant", content: "" }, null));
    for (const piece of splitPieces(plan.text ?? "")) out.push(chunk({ content: piece }, null));
    out.push(chunk({}, openAIFinish(plan)));
  }
  if (includeUsage) {
    out.push(
      `data: ${JSON.stringify({
        id: ids.id,
        object: "chat.completion.chunk",
        created: ids.created,
        model: ids.model,
        choices: [],
        usage: openAIUsage(plan),
      })}\n\n`,
    );
  }
  out.push("data: [DONE]\n\n");
  return out;
}
