import type {
  OpenAIAssistantMessage,
  OpenAIContentPart,
  OpenAIMessage,
  OpenAITextContentPart,
} from "../types/openai.js";
import type {
  ResponsesCustomToolCallItem,
  ResponsesFunctionCallItem,
  ResponsesFunctionCallOutputItem,
  ResponsesInputContent,
  ResponsesInputItem,
  ResponsesMessageItem,
  ResponsesReasoningItem,
} from "../types/responses.js";
import { type AnthropicThinkingBlocks, thinkingBlocksOf } from "./reasoning-carry.js";
import { qualifiedToolName } from "./responses-tool-names.js";
import { isRecord, unsupported } from "./unsupported.js";

/**
 * History items of tools a translated upstream cannot run. They can only be in the input
 * because an earlier turn ran against a native upstream; they are left out and reported.
 */
const HOSTED_ITEMS = new Set([
  "web_search_call",
  "file_search_call",
  "code_interpreter_call",
  "image_generation_call",
  "computer_call",
  "computer_call_output",
  "local_shell_call",
  "local_shell_call_output",
  "shell_call",
  "shell_call_output",
  "apply_patch_call",
  "apply_patch_call_output",
  "mcp_call",
  "mcp_list_tools",
  "mcp_approval_request",
  "mcp_approval_response",
  "tool_search_call",
  "tool_search_output",
  "compaction",
]);

/** Keys of a content part copied as they are (a prompt-cache breakpoint, for instance). */
const CARRIED_PART_KEYS = ["cache_control"] as const;

/**
 * Converts `instructions` + `input` to Chat Completions messages. With `thinking`, reasoning
 * items that carry an Anthropic thinking block (see `reasoning-carry`) travel on the next
 * assistant turn as `thinking_blocks`; every other reasoning item is dropped.
 */
export function convertResponsesInput(
  input: string | ResponsesInputItem[] | undefined,
  options: {
    instructions?: string | null | undefined;
    developerRole: "developer" | "system";
    thinking?: boolean;
  },
): { messages: OpenAIMessage[]; omittedItems: string[] } {
  const messages: OpenAIMessage[] = [];
  const omittedItems: string[] = [];
  if (typeof options.instructions === "string" && options.instructions !== "") {
    messages.push({ role: "system", content: options.instructions });
  }
  if (input === undefined || input === null) return { messages, omittedItems };
  if (typeof input === "string") {
    messages.push({ role: "user", content: input });
    return { messages, omittedItems };
  }
  if (!Array.isArray(input)) unsupported("input", "input must be a string or an array");
  /** The assistant message that function calls right after it belong to. */
  let turn: OpenAIAssistantMessage | undefined;
  /** Thinking blocks waiting for the assistant turn they came with. */
  let thinking: AnthropicThinkingBlocks = [];
  const assistantTurn = (message?: OpenAIAssistantMessage): OpenAIAssistantMessage => {
    if (message !== undefined) {
      messages.push(message);
      turn = message;
    } else if (turn === undefined || (thinking.length > 0 && hasContent(turn))) {
      // Thinking that came after this turn's text or calls (interleaved thinking) opens a
      // message of its own: the Anthropic conversion merges consecutive assistant messages
      // in order, so the signed blocks stay where Claude wrote them.
      turn = { role: "assistant", content: null };
      messages.push(turn);
    }
    if (thinking.length > 0) {
      turn.thinking_blocks = [...(turn.thinking_blocks ?? []), ...thinking];
      thinking = [];
    }
    return turn;
  };
  const addCall = (callId: unknown, name: string, args: string, at: string) => {
    if (typeof callId !== "string") unsupported(at, "A tool call needs call_id", "invalid_request");
    const message = assistantTurn();
    message.tool_calls ??= [];
    message.tool_calls.push({ id: callId, type: "function", function: { name, arguments: args } });
  };
  input.forEach((item, i) => {
    const at = `input[${i}]`;
    if (!isRecord(item)) unsupported(at, "Each input item must be an object", "invalid_request");
    const type = item.type ?? "message";
    switch (type) {
      case "message": {
        const message = convertMessage(item as ResponsesMessageItem, at, options.developerRole);
        if (message.role === "assistant") {
          assistantTurn(message);
          return;
        }
        messages.push(message);
        turn = undefined;
        thinking = [];
        return;
      }
      case "function_call": {
        const call = item as ResponsesFunctionCallItem;
        if (typeof call.name !== "string")
          unsupported(at, "A function_call needs call_id and name", "invalid_request");
        const namespace = typeof call.namespace === "string" ? call.namespace : undefined;
        addCall(call.call_id, qualifiedToolName(namespace, call.name), call.arguments ?? "", at);
        return;
      }
      case "custom_tool_call": {
        const call = item as ResponsesCustomToolCallItem;
        if (typeof call.name !== "string" || typeof call.input !== "string")
          unsupported(at, "A custom_tool_call needs call_id, name and input", "invalid_request");
        const namespace = typeof call.namespace === "string" ? call.namespace : undefined;
        addCall(
          call.call_id,
          qualifiedToolName(namespace, call.name),
          JSON.stringify({ input: call.input }),
          at,
        );
        return;
      }
      case "function_call_output":
      case "custom_tool_call_output": {
        const output = item as ResponsesFunctionCallOutputItem;
        if (typeof output.call_id !== "string")
          unsupported(at, `A ${type} needs call_id`, "invalid_request");
        messages.push({
          role: "tool",
          tool_call_id: output.call_id,
          content:
            typeof output.output === "string"
              ? output.output
              : (convertParts(output.output, `${at}.output`) as OpenAITextContentPart[]),
        });
        turn = undefined;
        return;
      }
      case "reasoning": {
        // Chat Completions cannot send reasoning back; the next turn simply goes without it.
        // Anthropic takes back the thinking blocks it signed.
        if (options.thinking !== true) return;
        const blocks = thinkingBlocksOf(item as ResponsesReasoningItem);
        if (blocks !== undefined) thinking.push(...blocks);
        return;
      }
      case "item_reference":
        unsupported(
          at,
          "switchyard is stateless on this route: item_reference needs items stored upstream; send the items themselves",
          "invalid_request",
        );
        return;
      default:
        if (HOSTED_ITEMS.has(type)) {
          omittedItems.push(`item:${type}`);
          turn = undefined;
          return;
        }
        unsupported(`${at}.type`, `Input item type "${type}" is not supported`);
    }
  });
  return { messages, omittedItems };
}

/** Whether an assistant message already holds text, a refusal or tool calls. */
function hasContent(message: OpenAIAssistantMessage): boolean {
  const { content } = message;
  return (
    (message.tool_calls?.length ?? 0) > 0 ||
    (typeof content === "string" ? content !== "" : Array.isArray(content) && content.length > 0) ||
    Boolean(message.refusal)
  );
}

function convertMessage(
  item: ResponsesMessageItem,
  at: string,
  developerRole: "developer" | "system",
): OpenAIMessage {
  const { role, content } = item;
  switch (role) {
    case "system":
    case "developer": {
      const text =
        typeof content === "string"
          ? content
          : (convertParts(content, `${at}.content`) as OpenAITextContentPart[]);
      return { role: role === "developer" ? developerRole : "system", content: text };
    }
    case "user":
      return {
        role: "user",
        content: typeof content === "string" ? content : convertParts(content, `${at}.content`),
      };
    case "assistant": {
      if (typeof content === "string") return { role: "assistant", content };
      let text = "";
      let refusal: string | undefined;
      for (const part of content ?? []) {
        if (part.type === "output_text" || part.type === "input_text") text += part.text;
        else if (part.type === "refusal") refusal = (refusal ?? "") + part.refusal;
      }
      const message: OpenAIAssistantMessage = { role: "assistant", content: text };
      if (refusal !== undefined) message.refusal = refusal;
      return message;
    }
    default:
      return unsupported(`${at}.role`, `Unknown message role "${String(role)}"`);
  }
}

function convertParts(parts: ResponsesInputContent[], at: string): OpenAIContentPart[] {
  if (!Array.isArray(parts)) unsupported(at, "content must be a string or an array");
  return parts.map((part, j) => {
    const converted = convertPart(part, `${at}[${j}]`);
    for (const key of CARRIED_PART_KEYS) if (part[key] !== undefined) converted[key] = part[key];
    return converted;
  });
}

function convertPart(part: ResponsesInputContent, at: string): OpenAIContentPart {
  switch (part?.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: part.text };
    case "refusal":
      return { type: "text", text: part.refusal };
    case "input_image": {
      if (typeof part.image_url !== "string")
        return unsupported(
          at,
          "Uploaded image file ids are not portable; send image_url (an https or data URL)",
          "unsupported_content",
        );
      const image_url: { url: string; detail?: "auto" | "low" | "high" } = { url: part.image_url };
      if (part.detail === "low" || part.detail === "high" || part.detail === "auto")
        image_url.detail = part.detail;
      return { type: "image_url", image_url };
    }
    case "input_file": {
      if (part.file_data === undefined && typeof part.file_id !== "string")
        return unsupported(
          at,
          "input_file needs file_data (a data URL) or file_id; file_url is not supported",
          "unsupported_content",
        );
      const file: { file_data?: string; file_id?: string; filename?: string } = {};
      if (part.file_data !== undefined) file.file_data = part.file_data;
      if (typeof part.file_id === "string") file.file_id = part.file_id;
      if (part.filename !== undefined) file.filename = part.filename;
      return { type: "file", file };
    }
    default:
      return unsupported(
        at,
        `Content part type "${String((part as { type?: unknown })?.type)}" is not supported`,
        "unsupported_content",
      );
  }
}
