import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import {
  asArray,
  asNumber,
  asObject,
  asString,
  compact,
  requireObject,
} from "../internal/coerce.js";
import { SwitchyardMcpError } from "../mcp-error.js";
import { guarded, okResult, type ToolContext } from "./tool-context.js";

const inputSchema = {
  model: z
    .string()
    .min(1)
    .describe(
      "Model name as the proxy routes it, e.g. `gpt-4o-mini`, `claude-sonnet-4-5` or `groq:llama-3.3-70b`",
    ),
  prompt: z.string().min(1).describe("The user message to send"),
  system: z.string().optional().describe("An optional system prompt"),
  maxTokens: z
    .number()
    .int()
    .min(1)
    .max(64000)
    .optional()
    .describe("Cap on the answer's length in tokens"),
};

const outputSchema = {
  model: z.string().describe("Model that answered, as reported"),
  text: z.string().describe("The answer"),
  finishReason: z.string().optional().describe("stop | length | …"),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).optional(),
};

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  // Some servers send content parts even in non-streaming answers.
  return asArray(content)
    .map((p) => asString(asObject(p)?.text) ?? "")
    .join("");
}

/** Registers `ask_model` (acting): sends one prompt to any model through the proxy (OpenAI dialect). */
export function registerAskModelTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "ask_model",
    {
      title: "Ask another model through switchyard",
      description:
        "Sends one prompt to any model the switchyard proxy routes (OpenAI, Anthropic, Groq, a local server, …) and returns its answer. Costs tokens on that backend.",
      inputSchema,
      outputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    ({ model, prompt, system, maxTokens }, extra) =>
      guarded(ctx, async () => {
        const messages = [
          ...(system ? [{ role: "system", content: system }] : []),
          { role: "user", content: prompt },
        ];
        const request = {
          model,
          messages,
          stream: false,
          ...(maxTokens ? { max_tokens: maxTokens } : {}),
        };
        let raw: unknown;
        try {
          // The client's cancel aborts the upstream call: no tokens spent on an unread answer.
          raw = await ctx.admin.post("/v1/chat/completions", request, {
            timeoutMs: ctx.askTimeoutMs,
            signal: extra.signal,
          });
        } catch (error) {
          if (SwitchyardMcpError.isInstance(error) && error.code === "not_found" && error.detail) {
            throw new SwitchyardMcpError(
              "not_found",
              `the proxy could not serve ${model}: ${error.detail}`,
              {
                status: 404,
              },
            );
          }
          throw error;
        }
        const body = requireObject(raw, "POST /v1/chat/completions");
        const choice = asObject(asArray(body.choices)[0]);
        const message = asObject(choice?.message);
        if (!message) {
          throw new SwitchyardMcpError(
            "bad_response",
            "the proxy's chat completion had no message",
          );
        }
        const text = contentText(message.content);
        const usage = asObject(body.usage);
        const structured = compact({
          model: asString(body.model) ?? model,
          text,
          finishReason: asString(choice?.finish_reason),
          usage: usage
            ? {
                inputTokens: asNumber(usage.prompt_tokens) ?? 0,
                outputTokens: asNumber(usage.completion_tokens) ?? 0,
              }
            : undefined,
        });
        return okResult(ctx, structured, text || "(empty answer)");
      }),
  );
}
