import type { OpenAITool, OpenAIToolChoice } from "../types/openai.js";
import type {
  ResponsesCustomTool,
  ResponsesFunctionTool,
  ResponsesNamespaceTool,
  ResponsesTool,
  ResponsesToolChoice,
} from "../types/responses.js";
import { qualifiedToolName } from "./responses-tool-names.js";
import { isRecord, unsupported } from "./unsupported.js";

/**
 * Responses tools as Chat Completions tools. `function` tools map one to one; a `custom`
 * tool becomes a function tool with one string parameter `input` (its grammar, if any, is
 * shown to the model in the description: the upstream cannot enforce it, the client still
 * checks what it receives), and its calls map back to `custom_tool_call` items; the tools
 * of a `namespace` become function tools named `<namespace>__<tool>`, mapped back to calls
 * with `namespace`. Every other type (hosted `web_search`, `file_search`,
 * `code_interpreter`, `image_generation`, `computer_use_preview`, `mcp`, `local_shell`,
 * `shell`, `apply_patch`, …) runs on OpenAI's servers, so it is left out and reported as
 * `tool:<type>`.
 */
export function convertResponsesTools(
  tools: ResponsesTool[] | undefined,
  choice: ResponsesToolChoice | undefined,
): { tools: OpenAITool[]; toolChoice?: OpenAIToolChoice; omitted: string[] } {
  const out: OpenAITool[] = [];
  const omitted: string[] = [];
  if (tools !== undefined && !Array.isArray(tools)) unsupported("tools", "tools must be an array");
  (tools ?? []).forEach((tool, i) => {
    if (!isRecord(tool) || typeof tool.type !== "string")
      unsupported(`tools[${i}]`, "Each tool must be an object with a type", "invalid_request");
    const at = `tools[${i}]`;
    if (tool.type === "namespace") {
      const ns = tool as ResponsesNamespaceTool;
      if (typeof ns.name !== "string" || ns.name === "" || !Array.isArray(ns.tools))
        unsupported(at, "A namespace tool needs a name and tools", "invalid_request");
      ns.tools.forEach((inner, j) => {
        if (isRecord(inner) && (inner.type === "function" || inner.type === "custom"))
          out.push(convertTool(inner, `${at}.tools[${j}]`, ns));
        else omit(omitted, inner as ResponsesTool);
      });
      return;
    }
    if (tool.type === "function" || tool.type === "custom")
      out.push(convertTool(tool as ResponsesFunctionTool | ResponsesCustomTool, at));
    else omit(omitted, tool);
  });
  const toolChoice = convertToolChoice(choice, out);
  return toolChoice === undefined ? { tools: out, omitted } : { tools: out, toolChoice, omitted };
}

function omit(omitted: string[], tool: ResponsesTool): void {
  const type = isRecord(tool) ? String(tool.type) : "unknown";
  const label = `tool:${type}${typeof tool?.name === "string" ? `:${tool.name}` : ""}`;
  if (!omitted.includes(label)) omitted.push(label);
}

/** A function or custom tool (of namespace `ns`, if given) as a Chat Completions tool. */
function convertTool(
  tool: ResponsesFunctionTool | ResponsesCustomTool,
  at: string,
  ns?: ResponsesNamespaceTool,
): OpenAITool {
  if (typeof tool.name !== "string" || tool.name === "")
    unsupported(`${at}.name`, `A ${tool.type} tool needs a name`, "invalid_request");
  const definition: OpenAITool["function"] = { name: qualifiedToolName(ns?.name, tool.name) };
  const description = [ns?.description, tool.description].filter(
    (d): d is string => typeof d === "string" && d !== "",
  );
  if (tool.type === "custom") {
    const format = (tool as ResponsesCustomTool).format;
    if (format?.type === "grammar" && typeof format.definition === "string")
      description.push(
        `The input must be valid in this ${String(format.syntax)} grammar:\n${format.definition}`,
      );
    definition.parameters = {
      type: "object",
      properties: { input: { type: "string", description: "The tool's whole input, as text." } },
      required: ["input"],
      additionalProperties: false,
    };
  } else {
    const fn = tool as ResponsesFunctionTool;
    if (isRecord(fn.parameters)) definition.parameters = fn.parameters;
    if (typeof fn.strict === "boolean") definition.strict = fn.strict;
  }
  if (description.length > 0) definition.description = description.join("\n\n");
  return { type: "function", function: definition };
}

function convertToolChoice(
  choice: ResponsesToolChoice | undefined,
  tools: OpenAITool[],
): OpenAIToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === "none" || choice === "auto" || choice === "required") return choice;
  if (
    isRecord(choice) &&
    (choice.type === "function" || choice.type === "custom") &&
    typeof choice.name === "string"
  ) {
    const namespace = typeof choice.namespace === "string" ? choice.namespace : undefined;
    const name = qualifiedToolName(namespace, choice.name);
    if (!tools.some((t) => t.function.name === name))
      unsupported("tool_choice", `tool_choice names "${choice.name}", which is not in tools`);
    return { type: "function", function: { name } };
  }
  return unsupported(
    "tool_choice",
    `tool_choice of type "${String((choice as { type?: unknown }).type)}" names a tool switchyard cannot translate; use auto, none, required or a function`,
  );
}
