import {
  estimateInputTokens,
  estimateOpenAIInputTokens,
  estimateTextTokens,
} from "@switchyard/openai-compat";
import { entryJsonBody, entryPath } from "./cassette.js";
import { CaptureError } from "./errors.js";
import type { HarEntry, HarLog } from "./har.js";
import { normalizeVolatile, normalizeVolatileText, VOLATILE_HEADERS } from "./internal/volatile.js";

/** One tool definition a client sends. */
export interface ToolTemplate {
  name: string;
  description?: string;
  /** The JSON schema of its input (`input_schema` / `function.parameters`). */
  inputSchema?: unknown;
  /** Anything else in the definition (`type` of a server tool, `cache_control`, `strict`). */
  extra?: Record<string, unknown>;
  /** Estimated tokens of the whole definition. */
  tokens: number;
}

/** What a tool sends around the conversation: its prompt, tools, parameters and headers. */
export interface Template {
  /** The recorded tool, from the capture header. */
  tool?: string;
  toolVersion?: string;
  dialect: "anthropic" | "openai";
  /** The endpoint path the template came from (`/v1/messages`). */
  endpoint: string;
  /** The whole system prompt as text (blocks joined by a blank line). */
  system: { text: string; blocks: unknown[]; tokens: number };
  tools: ToolTemplate[];
  /** Every other body field (`model`, `max_tokens`, `thinking`, …), ids normalised. */
  parameters: Record<string, unknown>;
  /** Request headers without transport and credential noise, ids normalised. */
  headers: Record<string, string>;
  /** `anthropic-beta` flags. */
  betas: string[];
  tokens: { system: number; tools: number; messages: number; total: number };
  /** API requests in the capture, and which one the template was taken from (0-based). */
  requests: { total: number; chosen: number };
}

const API_PATHS = new Set(["/v1/messages", "/v1/chat/completions", "/v1/responses"]);
const CONVERSATION_FIELDS = new Set(["messages", "input", "system", "instructions", "tools"]);
const CREDENTIAL_HEADERS = new Set(["authorization", "x-api-key", "cookie", "api-key"]);

type Body = Record<string, unknown>;

/**
 * Takes a tool's template from a capture: of its API requests, the one with the most tool
 * definitions (then the longest system prompt; the first on a tie), because that is the
 * tool's main agent call rather than a side request such as a title or a quota probe.
 *
 * @example
 * const template = extractTemplate(parseCassette(text));
 * console.log(template.tools.map((t) => `${t.name} ${t.tokens}`));
 */
export function extractTemplate(har: HarLog): Template {
  const candidates = har.log.entries
    .map((entry, index) => ({ entry, index, body: entryJsonBody(entry) }))
    .filter(
      (c): c is { entry: HarEntry; index: number; body: Body } =>
        c.body !== undefined &&
        API_PATHS.has(entryPath(c.entry)) &&
        c.entry.request.method === "POST",
    );
  if (candidates.length === 0) {
    throw new CaptureError(
      "no_template",
      "the capture holds no POST to /v1/messages, /v1/chat/completions or /v1/responses",
    );
  }
  let best = candidates[0] as (typeof candidates)[number];
  let bestScore = score(best.body);
  for (const c of candidates.slice(1)) {
    const s = score(c.body);
    if (s[0] > bestScore[0] || (s[0] === bestScore[0] && s[1] > bestScore[1])) {
      best = c;
      bestScore = s;
    }
  }
  const header = har.log._switchyard;
  const template = templateFromRequest(
    entryPath(best.entry),
    best.body,
    best.entry.request.headers,
  );
  return {
    ...(header?.tool !== undefined ? { tool: header.tool } : {}),
    ...(header?.toolVersion !== undefined ? { toolVersion: header.toolVersion } : {}),
    ...template,
    requests: { total: candidates.length, chosen: best.index },
  };
}

function score(body: Body): [number, number] {
  const tools = Array.isArray(body.tools) ? body.tools.length : 0;
  return [tools, systemOf(body).text.length];
}

/** The template of one request body (path picks the dialect). */
export function templateFromRequest(
  endpoint: string,
  body: Body,
  headers: readonly { name: string; value: string }[] = [],
): Omit<Template, "requests" | "tool" | "toolVersion"> {
  const dialect = endpoint === "/v1/messages" ? "anthropic" : "openai";
  const system = systemOf(body);
  const tools = (Array.isArray(body.tools) ? body.tools : []).map(toolOf);
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!CONVERSATION_FIELDS.has(key)) parameters[key] = normalizeVolatile(value);
  }
  const kept: Record<string, string> = {};
  const betas: string[] = [];
  for (const { name, value } of headers) {
    const lower = name.toLowerCase();
    if (VOLATILE_HEADERS.has(lower)) continue;
    if (lower === "anthropic-beta")
      betas.push(
        ...value
          .split(",")
          .map((b) => b.trim())
          .filter(Boolean),
      );
    kept[lower] = CREDENTIAL_HEADERS.has(lower) ? "<credential>" : normalizeVolatileText(value);
  }
  const systemTokens = estimateTextTokens(system.text);
  const toolTokens = tools.reduce((n, t) => n + t.tokens, 0);
  const total = totalTokens(dialect, endpoint, body) ?? systemTokens + toolTokens;
  return {
    dialect,
    endpoint,
    system: { text: system.text, blocks: system.blocks, tokens: systemTokens },
    tools,
    parameters,
    headers: kept,
    betas,
    tokens: {
      system: systemTokens,
      tools: toolTokens,
      messages: Math.max(0, total - systemTokens - toolTokens),
      total,
    },
  };
}

function totalTokens(dialect: string, endpoint: string, body: Body): number | undefined {
  try {
    if (dialect === "anthropic") return estimateInputTokens(body as never).input_tokens;
    if (endpoint === "/v1/chat/completions")
      return estimateOpenAIInputTokens(body as never).input_tokens;
  } catch {
    // A request the estimator cannot read still has a template; fall back to the parts.
  }
  return undefined;
}

function textOfBlock(block: unknown): string {
  if (typeof block === "string") return block;
  const b = block as { text?: unknown; content?: unknown };
  if (typeof b?.text === "string") return b.text;
  if (typeof b?.content === "string") return b.content;
  if (Array.isArray(b?.content)) return b.content.map(textOfBlock).join("");
  return "";
}

/** The system prompt: Anthropic `system`, Responses `instructions`, or leading system/developer messages. */
function systemOf(body: Body): { text: string; blocks: unknown[] } {
  const blocks: unknown[] = [];
  const push = (value: unknown) => {
    if (typeof value === "string") blocks.push({ type: "text", text: value });
    else if (Array.isArray(value)) blocks.push(...value);
  };
  push(body.system);
  push(body.instructions);
  const conversation = Array.isArray(body.messages)
    ? body.messages
    : Array.isArray(body.input)
      ? body.input
      : [];
  for (const message of conversation as { role?: unknown; content?: unknown }[]) {
    if (message?.role !== "system" && message?.role !== "developer") break;
    push(message.content);
  }
  return { text: blocks.map(textOfBlock).join("\n\n"), blocks };
}

function toolOf(raw: unknown): ToolTemplate {
  const tool = (raw ?? {}) as Record<string, unknown>;
  // Chat Completions nests the definition under `function`; Responses and Anthropic do not.
  const fn =
    tool.type === "function" && typeof tool.function === "object"
      ? (tool.function as Record<string, unknown>)
      : tool;
  const { name, description, input_schema, parameters, ...rest } = fn;
  const extra: Record<string, unknown> = { ...rest };
  if (fn !== tool) {
    const { function: _f, ...outer } = tool;
    Object.assign(extra, outer);
  }
  const schema = input_schema ?? parameters;
  return {
    name: typeof name === "string" ? name : String(tool.type ?? "unnamed"),
    ...(typeof description === "string" ? { description } : {}),
    ...(schema !== undefined ? { inputSchema: schema } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
    tokens: estimateTextTokens(JSON.stringify(raw ?? null)),
  };
}
