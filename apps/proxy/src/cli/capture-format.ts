import type { Template } from "@switchyard/template-capture";
import { formatTable } from "./common-args.js";

const n = (value: number) => value.toLocaleString("en-US");
const oneLine = (text: string, max: number) => {
  const line = (text.split("\n").find((l) => l.trim() !== "") ?? "").trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
};
const short = (value: unknown) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** `switchyard capture show`: a template as a summary with token estimates. */
export function formatTemplate(template: Template, options: { full?: boolean } = {}): string {
  const { system, tools, tokens } = template;
  const tool = [template.tool, template.toolVersion].filter(Boolean).join(" ") || "(unknown)";
  const lines = [
    formatTable([
      ["tool", tool],
      [
        "request",
        `POST ${template.endpoint} (${template.dialect}), #${template.requests.chosen} of ${template.requests.total} API requests`,
      ],
      ["model", String(template.parameters.model ?? "(none)")],
      [
        "tokens",
        `~${n(tokens.total)} input (system ~${n(tokens.system)}, tools ~${n(tokens.tools)}, messages ~${n(tokens.messages)})`,
      ],
      [
        "system",
        `${n(system.text.length)} characters, ~${n(system.tokens)} tokens, ${system.blocks.length} block(s)`,
      ],
      ["tools", `${tools.length}, ~${n(tokens.tools)} tokens`],
    ]),
  ];
  if (tools.length > 0) {
    lines.push(
      formatTable(
        tools.map((t) => [t.name, `~${n(t.tokens)}`, oneLine(t.description ?? "", 70)]),
        "  ",
      ),
    );
  }
  const params = Object.entries(template.parameters).filter(([k]) => k !== "model");
  if (params.length > 0) {
    lines.push(
      "parameters",
      formatTable(
        params.map(([k, v]) => [k, short(v)]),
        "  ",
      ),
    );
  }
  if (template.betas.length > 0) lines.push("betas", ...template.betas.map((b) => `  ${b}`));
  const headers = Object.entries(template.headers).filter(([k]) => k !== "anthropic-beta");
  if (headers.length > 0)
    lines.push(
      "headers",
      formatTable(
        headers.map(([k, v]) => [k, short(v)]),
        "  ",
      ),
    );
  if (options.full) lines.push("system prompt", system.text);
  return `${lines.join("\n")}\n`;
}
