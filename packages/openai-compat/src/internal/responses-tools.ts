import type { OpenAITool, OpenAIToolChoice } from "../types/openai.js";
import type {
  ResponsesFunctionTool,
  ResponsesTool,
  ResponsesToolChoice,
} from "../types/responses.js";
import { isRecord, unsupported } from "./unsupported.js";

/**
 * Responses tools as Chat Completions tools. Only `function` tools have a faithful
 * equivalent; every other type (hosted `web_search`, `file_search`, `code_interpreter`,
 * `image_generation`, `computer_use_preview`, `mcp`, `local_shell`, `shell`, `apply_patch`,
 * Codex's `custom` and `namespace`, …) runs on OpenAI's servers or needs a grammar the
 * target cannot enforce, so it is left out and reported as `tool:<type>`.
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
    if (tool.type !== "function") {
      const label = `tool:${tool.type}${typeof tool.name === "string" ? `:${tool.name}` : ""}`;
      if (!omitted.includes(label)) omitted.push(label);
      return;
    }
    const fn = tool as ResponsesFunctionTool;
    if (typeof fn.name !== "string" || fn.name === "")
      unsupported(`tools[${i}].name`, "A function tool needs a name", "invalid_request");
    const definition: OpenAITool["function"] = { name: fn.name };
    if (typeof fn.description === "string") definition.description = fn.description;
    if (isRecord(fn.parameters)) definition.parameters = fn.parameters;
    if (typeof fn.strict === "boolean") definition.strict = fn.strict;
    out.push({ type: "function", function: definition });
  });
  const toolChoice = convertToolChoice(choice, out);
  return toolChoice === undefined ? { tools: out, omitted } : { tools: out, toolChoice, omitted };
}

function convertToolChoice(
  choice: ResponsesToolChoice | undefined,
  tools: OpenAITool[],
): OpenAIToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === "none" || choice === "auto" || choice === "required") return choice;
  if (isRecord(choice) && choice.type === "function" && typeof choice.name === "string") {
    if (!tools.some((t) => t.function.name === choice.name))
      unsupported("tool_choice", `tool_choice names "${choice.name}", which is not in tools`);
    return { type: "function", function: { name: choice.name } };
  }
  return unsupported(
    "tool_choice",
    `tool_choice of type "${String((choice as { type?: unknown }).type)}" names a tool switchyard cannot translate; use auto, none, required or a function`,
  );
}
