import { createTwoFilesPatch } from "diff";
import type { HarLog } from "./har.js";
import { diffJson, type ValueChange } from "./internal/json-diff.js";
import { extractTemplate, type Template, type ToolTemplate } from "./template.js";

export type { ValueChange } from "./internal/json-diff.js";

/** A text that changed, with a unified diff of it. */
export interface TextChange {
  before: string;
  after: string;
  /** Unified diff (from the `diff` library), 3 lines of context. */
  patch: string;
}

/** One tool present in both templates that changed. */
export interface ToolChange {
  name: string;
  description?: TextChange;
  /** Schema-level differences of its input schema (paths inside the schema). */
  schema: ValueChange[];
  /** Other differences of the definition (`type`, `cache_control`, …). */
  other: ValueChange[];
}

/** What changed from template `a` to template `b`. */
export interface TemplateDiff {
  /** True when nothing below changed. */
  identical: boolean;
  system?: TextChange;
  tools: { added: string[]; removed: string[]; changed: ToolChange[] };
  /** Body parameters (`model`, `max_tokens`, …), by path. */
  parameters: ValueChange[];
  /** Request headers, by name. */
  headers: ValueChange[];
  betas: { added: string[]; removed: string[] };
}

function textChange(name: string, before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  // Both end with a newline, so text appended after the last line shows as added lines only
  // (not as the last line removed and re-added for its missing newline).
  const eol = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);
  const patch = createTwoFilesPatch(
    `a/${name}`,
    `b/${name}`,
    eol(before),
    eol(after),
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  return { before, after, patch: patch.split("\n").slice(1).join("\n") };
}

function diffTool(a: ToolTemplate, b: ToolTemplate): ToolChange | undefined {
  const description = textChange(`${a.name}.description`, a.description ?? "", b.description ?? "");
  const schema = diffJson(a.inputSchema ?? null, b.inputSchema ?? null);
  const other = diffJson(a.extra ?? {}, b.extra ?? {});
  if (description === undefined && schema.length === 0 && other.length === 0) return undefined;
  return { name: a.name, ...(description ? { description } : {}), schema, other };
}

/**
 * Compares two templates: tools added, removed and changed (down to schema paths), the system
 * prompt as a unified text diff, parameter, header and beta changes. Token estimates and the
 * request counts are not compared.
 *
 * @example
 * const diff = diffTemplates(extractTemplate(a), extractTemplate(b));
 * if (!diff.identical) console.log(formatTemplateDiff(diff));
 */
export function diffTemplates(a: Template, b: Template): TemplateDiff {
  const toolsA = new Map(a.tools.map((t) => [t.name, t]));
  const toolsB = new Map(b.tools.map((t) => [t.name, t]));
  const changed: ToolChange[] = [];
  for (const [name, tool] of toolsA) {
    const other = toolsB.get(name);
    const change = other === undefined ? undefined : diffTool(tool, other);
    if (change !== undefined) changed.push(change);
  }
  const system = textChange("system", a.system.text, b.system.text);
  const betasA = new Set(a.betas);
  const betasB = new Set(b.betas);
  const headersA = { ...a.headers };
  const headersB = { ...b.headers };
  delete headersA["anthropic-beta"]; // compared as a set below
  delete headersB["anthropic-beta"];
  const diff: TemplateDiff = {
    identical: false,
    ...(system ? { system } : {}),
    tools: {
      added: b.tools.filter((t) => !toolsA.has(t.name)).map((t) => t.name),
      removed: a.tools.filter((t) => !toolsB.has(t.name)).map((t) => t.name),
      changed,
    },
    parameters: diffJson(a.parameters, b.parameters),
    headers: diffJson(headersA, headersB),
    betas: {
      added: b.betas.filter((x) => !betasA.has(x)),
      removed: a.betas.filter((x) => !betasB.has(x)),
    },
  };
  diff.identical =
    system === undefined &&
    diff.tools.added.length + diff.tools.removed.length + changed.length === 0 &&
    diff.parameters.length + diff.headers.length === 0 &&
    diff.betas.added.length + diff.betas.removed.length === 0;
  return diff;
}

/** {@link diffTemplates} of two captures' templates. */
export function diffCaptures(a: HarLog, b: HarLog): TemplateDiff {
  return diffTemplates(extractTemplate(a), extractTemplate(b));
}

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? "undefined";
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

function formatChanges(title: string, changes: ValueChange[], indent = "  "): string[] {
  return changes.map((c) => {
    const where = [title, c.path].filter((part) => part !== "").join(" ") || "(root)";
    if (c.kind === "added") return `${indent}+ ${where}: ${show(c.after)}`;
    if (c.kind === "removed") return `${indent}- ${where}: ${show(c.before)}`;
    return `${indent}~ ${where}: ${show(c.before)} -> ${show(c.after)}`;
  });
}

/** A human-readable rendering of a {@link TemplateDiff} ("no differences" when identical). */
export function formatTemplateDiff(diff: TemplateDiff): string {
  if (diff.identical) return "no differences\n";
  const lines: string[] = [];
  if (diff.parameters.length > 0) lines.push("parameters:", ...formatChanges("", diff.parameters));
  if (diff.headers.length > 0) lines.push("headers:", ...formatChanges("", diff.headers));
  if (diff.betas.added.length + diff.betas.removed.length > 0) {
    lines.push(
      "betas:",
      ...diff.betas.added.map((b) => `  + ${b}`),
      ...diff.betas.removed.map((b) => `  - ${b}`),
    );
  }
  const { tools } = diff;
  if (tools.added.length + tools.removed.length + tools.changed.length > 0) {
    lines.push(
      "tools:",
      ...tools.added.map((t) => `  + ${t}`),
      ...tools.removed.map((t) => `  - ${t}`),
    );
    for (const change of tools.changed) {
      lines.push(`  ~ ${change.name}`);
      if (change.description)
        lines.push("    description:", indentBlock(change.description.patch, "      "));
      lines.push(
        ...formatChanges("schema", change.schema, "    "),
        ...formatChanges("definition", change.other, "    "),
      );
    }
  }
  if (diff.system) lines.push("system prompt:", indentBlock(diff.system.patch, "  "));
  return `${lines.join("\n")}\n`;
}

const indentBlock = (text: string, indent: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => indent + l)
    .join("\n");
