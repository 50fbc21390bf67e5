import type { ResponsesOutputItem, ResponsesRequest, ResponsesTool } from "../types/responses.js";
import { isRecord } from "./unsupported.js";

/**
 * Separator between a `namespace` tool's name and one of its tools' names in the flat name an
 * upstream sees (`multi_agent_v1__spawn_agent`): both APIs allow only `[A-Za-z0-9_-]` in names.
 */
export const NAMESPACE_SEPARATOR = "__";

/** What an upstream tool name stands for in the request the client sent. */
export interface ToolOrigin {
  /** The tool's own name, without its namespace. */
  name: string;
  /** A `custom` tool: its one string input travels as `{"input": "…"}`. */
  custom: boolean;
  namespace?: string;
}

/** The flat upstream name of a tool declared inside a `namespace` tool. */
export function qualifiedToolName(namespace: string | undefined, name: string): string {
  return namespace === undefined ? name : `${namespace}${NAMESPACE_SEPARATOR}${name}`;
}

/**
 * The upstream names that stand for a `custom` tool or a tool inside a `namespace`, by name;
 * undefined when the request has neither (plain function tools map to themselves).
 */
export function toolOrigins(
  request: ResponsesRequest | undefined,
): Map<string, ToolOrigin> | undefined {
  const tools = request?.tools;
  if (!Array.isArray(tools)) return undefined;
  let origins: Map<string, ToolOrigin> | undefined;
  const add = (tool: ResponsesTool, namespace: string | undefined) => {
    if (!isRecord(tool) || typeof tool.name !== "string") return;
    if (tool.type !== "custom" && (tool.type !== "function" || namespace === undefined)) return;
    origins ??= new Map();
    const origin: ToolOrigin = { name: tool.name, custom: tool.type === "custom" };
    if (namespace !== undefined) origin.namespace = namespace;
    origins.set(qualifiedToolName(namespace, tool.name), origin);
  };
  for (const tool of tools) {
    if (tool?.type === "namespace" && typeof tool.name === "string" && Array.isArray(tool.tools)) {
      for (const inner of tool.tools as ResponsesTool[]) add(inner, tool.name);
    } else add(tool, undefined);
  }
  return origins;
}

/** The string a custom tool call's `{"input": "…"}` arguments carry (the raw text otherwise). */
export function customToolInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (isRecord(parsed) && typeof parsed.input === "string") return parsed.input;
  } catch {
    // Not JSON: the model wrote the input itself.
  }
  return args;
}

/**
 * The output item for a finished tool call the upstream made under `upstreamName`: a
 * `custom_tool_call` for a custom tool, else a `function_call` (with its `namespace`, and
 * `"{}"` for empty `args` once the call is no longer in progress).
 */
export function toolCallItem(options: {
  id: string;
  callId: string;
  upstreamName: string;
  args: string;
  status: "in_progress" | "completed" | "incomplete";
  origins: Map<string, ToolOrigin> | undefined;
}): ResponsesOutputItem {
  const { id, callId, upstreamName, args, status } = options;
  const origin = options.origins?.get(upstreamName);
  if (origin?.custom === true) {
    const item: Record<string, unknown> = {
      type: "custom_tool_call",
      id,
      call_id: callId,
      name: origin.name,
      input: status === "in_progress" ? "" : customToolInput(args),
      status,
    };
    if (origin.namespace !== undefined) item.namespace = origin.namespace;
    return item as unknown as ResponsesOutputItem;
  }
  const item: Record<string, unknown> = {
    type: "function_call",
    id,
    call_id: callId,
    name: origin?.name ?? upstreamName,
    // A finished call with no argument text is a call with no arguments, as OpenAI writes it.
    arguments: args === "" && status !== "in_progress" ? "{}" : args,
    status,
  };
  if (origin?.namespace !== undefined) item.namespace = origin.namespace;
  return item as unknown as ResponsesOutputItem;
}
