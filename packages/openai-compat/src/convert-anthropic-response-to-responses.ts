import type { ConvertToResponsesOptions } from "./convert-openai-response-to-responses.js";
import { TranslationError } from "./errors.js";
import { asTranslationError } from "./internal/malformed.js";
import {
  encryptedRedactedThinking,
  encryptedThinking,
  includesEncryptedReasoning,
} from "./internal/reasoning-carry.js";
import { createResponseShell, responsesId } from "./internal/response-shell.js";
import {
  convertAnthropicUsageToResponses,
  itemIds,
  responsesStatusForStopReason,
} from "./internal/responses-output.js";
import { toolCallItem, toolOrigins } from "./internal/responses-tool-names.js";
import type { AnthropicMessage } from "./types/anthropic.js";
import type { ResponsesOutputItem, ResponsesResponse } from "./types/responses.js";

/**
 * Converts an Anthropic `Message` to a Responses `Response`, in one step: thinking becomes a
 * `reasoning` item whose summary is the thinking text (with the signature in
 * `encrypted_content` when the request `include`s `reasoning.encrypted_content`, so the block
 * can go back signed; redacted thinking only then), text a `message`, each `tool_use` a
 * `function_call` whose `call_id` is the `tool_use` id (a `custom_tool_call` for a custom
 * tool, with its `namespace` for a namespaced one). `max_tokens` makes it `incomplete`
 * (`max_output_tokens`), `refusal` `incomplete` (`content_filter`). Usage counts cache reads
 * and writes as input.
 *
 * @example
 * const response = convertAnthropicResponseToResponses(message, { request });
 */
export function convertAnthropicResponseToResponses(
  message: AnthropicMessage,
  options: ConvertToResponsesOptions = {},
): ResponsesResponse {
  try {
    return convertUnchecked(message, options);
  } catch (error) {
    throw asTranslationError(error, "response");
  }
}

function convertUnchecked(
  message: AnthropicMessage,
  options: ConvertToResponsesOptions,
): ResponsesResponse {
  if (!Array.isArray(message?.content)) {
    throw new TranslationError({
      code: "invalid_response",
      message: "Upstream message has no content",
    });
  }
  const { now = Date.now, request } = options;
  const id = options.id ?? (options.generateId ?? responsesId)("resp_");
  const nextId = itemIds(id, options.generateId);
  const origins = toolOrigins(request);
  const withSignatures = includesEncryptedReasoning(request?.include);
  const status = responsesStatusForStopReason(message.stop_reason);
  const itemStatus = status.status === "completed" ? "completed" : "incomplete";
  const output: ResponsesOutputItem[] = [];
  let outputText = "";
  for (const block of message.content) {
    switch (block.type) {
      case "text": {
        outputText += block.text;
        output.push({
          type: "message",
          id: nextId("msg_"),
          role: "assistant",
          status: itemStatus,
          content: [{ type: "output_text", text: block.text, annotations: [], logprobs: [] }],
        });
        break;
      }
      case "thinking": {
        const item: ResponsesOutputItem = {
          type: "reasoning",
          id: nextId("rs_"),
          summary: [{ type: "summary_text", text: block.thinking }],
        };
        if (withSignatures && typeof block.signature === "string")
          item.encrypted_content = encryptedThinking(block.signature);
        output.push(item);
        break;
      }
      case "redacted_thinking":
        if (withSignatures)
          output.push({
            type: "reasoning",
            id: nextId("rs_"),
            summary: [],
            encrypted_content: encryptedRedactedThinking(block.data),
          });
        break;
      case "tool_use": {
        const custom = origins?.get(block.name)?.custom === true;
        output.push(
          toolCallItem({
            id: nextId(custom ? "ctc_" : "fc_"),
            callId: block.id,
            upstreamName: block.name,
            args: JSON.stringify(block.input ?? {}),
            status: "completed",
            origins,
          }),
        );
        break;
      }
      default:
      // Server tool blocks carry nothing a Responses client can act on.
    }
  }
  const response = createResponseShell({
    id,
    model: options.model ?? message.model,
    createdAt: Math.floor(now() / 1000),
    request,
  });
  response.status = status.status;
  response.incomplete_details = status.incomplete_details;
  response.output = output;
  response.output_text = outputText;
  if (message.usage) response.usage = convertAnthropicUsageToResponses(message.usage);
  return response;
}
