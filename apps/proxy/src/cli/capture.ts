import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import {
  createRecorder,
  createScrubber,
  diffTemplates,
  entryJsonBody,
  entryPath,
  extractTemplate,
  formatTemplateDiff,
  type HarLog,
  parseCassette,
} from "@switchyard/template-capture";
import { type ArgsDef, defineCommand } from "citty";
import { loadConfig } from "../config/load.js";
import { action, CliError } from "./action.js";
import { formatTemplate } from "./capture-format.js";
import { configArg, jsonArg } from "./common-args.js";
import { commandAfterDashes, fileStamp, runTool, withProxy } from "./launch-tool.js";
import { SWITCHYARD_VERSION } from "./version.js";

async function readCapture(file: string): Promise<HarLog> {
  const text = await readFile(file, "utf8");
  try {
    return parseCassette(text);
  } catch (error) {
    throw new CliError("failed", `${file}: ${(error as Error).message}`);
  }
}

const template = (har: HarLog, file: string) => {
  try {
    return extractTemplate(har);
  } catch (error) {
    throw new CliError("failed", `${file}: ${(error as Error).message}`);
  }
};

const showCommand = defineCommand({
  meta: {
    name: "show",
    description: "Show a capture's template: system prompt, tools, parameters, token estimates",
  },
  args: {
    file: { type: "positional", description: "HAR file", required: true },
    full: { type: "boolean", description: "Also print the whole system prompt" },
    ...jsonArg,
  },
  run: action(async ({ args }) => {
    const file = String(args.file);
    const t = template(await readCapture(file), file);
    process.stdout.write(
      args.json
        ? `${JSON.stringify(t, null, 2)}\n`
        : formatTemplate(t, { full: args.full === true }),
    );
  }),
});

const diffCommand = defineCommand({
  meta: {
    name: "diff",
    description: "Compare two captures' templates (tools, system prompt, parameters, headers)",
  },
  args: {
    a: { type: "positional", description: "first HAR file", required: true },
    b: { type: "positional", description: "second HAR file", required: true },
    ...jsonArg,
  },
  run: action(async ({ args }) => {
    const [a, b] = [String(args.a), String(args.b)];
    const diff = diffTemplates(
      template(await readCapture(a), a),
      template(await readCapture(b), b),
    );
    process.stdout.write(
      args.json ? `${JSON.stringify(diff, null, 2)}\n` : formatTemplateDiff(diff),
    );
  }),
});

const exportCommand = defineCommand({
  meta: { name: "export", description: "Write a capture's API exchanges as test fixtures" },
  args: {
    file: { type: "positional", description: "HAR file", required: true },
    fixtures: {
      type: "string",
      description: "Folder for the fixture files",
      valueHint: "dir",
      required: true,
    },
  },
  run: action(async ({ args }) => {
    const file = String(args.file);
    const har = await readCapture(file);
    const dir = resolve(String(args.fixtures));
    await mkdir(dir, { recursive: true });
    let count = 0;
    for (const entry of har.log.entries) {
      const body = entryJsonBody(entry);
      const path = entryPath(entry);
      if (body === undefined || !path.startsWith("/v1/")) continue;
      count += 1;
      const stream = entry.response.content._sseEvents !== undefined;
      const name = `${String(count).padStart(2, "0")}-${path.slice(4).replace(/[^a-z0-9]+/gi, "-")}${stream ? "-stream" : ""}`;
      await writeFile(join(dir, `${name}.request.json`), `${JSON.stringify(body, null, 2)}\n`);
      const text = entry.response.content.text ?? "";
      if (stream) await writeFile(join(dir, `${name}.chunks.txt`), text);
      else {
        let pretty = text;
        try {
          pretty = `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
        } catch {}
        await writeFile(join(dir, `${name}.response.json`), pretty);
      }
    }
    process.stdout.write(`${count} exchange(s) written to ${dir}\n`);
  }),
});

/** The tool a command runs: the program, or the script an interpreter runs (`node app.mjs`). */
export function toolName(command: readonly string[]): string {
  const program = basename(command[0] ?? "tool");
  if (!/^(?:node|bun|deno|python3?|npx|tsx|uv)$/.test(program)) return program;
  const script = command.slice(1).find((a) => !a.startsWith("-"));
  return script === undefined ? program : basename(script).replace(/\.[cm]?[jt]s$|\.py$/, "");
}

const subCommands = { show: showCommand, diff: diffCommand, export: exportCommand };

const captureArgs = {
  out: {
    type: "string",
    description: "HAR file to write (default ./capture-<tool>-<time>.har)",
    valueHint: "file",
  },
  "max-mb": {
    type: "string",
    description: "Stop recording past this size (default 64)",
    valueHint: "MiB",
  },
  scrub: {
    type: "string",
    description: "Also scrub what matches this regular expression (e.g. an internal token format)",
    valueHint: "regex",
  },
  ...configArg,
} as const satisfies ArgsDef;

/**
 * `switchyard capture [--out FILE.har] -- <cmd…>`: run a tool through a proxy started for the
 * duration with recording on; `capture show|diff|export` read captures.
 */
export const captureCommand = defineCommand({
  meta: {
    name: "capture",
    description:
      "Record what a tool sends and receives (capture -- <cmd…>); show, diff or export captures",
  },
  args: captureArgs,
  subCommands,
  // citty runs a parent's `run` after the sub-command it dispatched: skip it then (before
  // `action` would check the sub-command's options against this command's).
  run: (context) => (isSubCommand(context.rawArgs) ? undefined : recordTool(context)),
});

/** True when the first word before any `--` names a sub-command (`capture show FILE`). */
function isSubCommand(rawArgs: readonly string[]): boolean {
  const dashes = rawArgs.indexOf("--");
  const words = (dashes < 0 ? rawArgs : rawArgs.slice(0, dashes)).filter((a) => !a.startsWith("-"));
  return words[0] !== undefined && Object.hasOwn(subCommands, words[0]);
}

const recordTool = action<typeof captureArgs>(async ({ args, rawArgs }) => {
  const command = commandAfterDashes(
    rawArgs,
    "switchyard capture [--out FILE.har] -- <command> [args...]",
  );
  const maxMb = args["max-mb"] === undefined ? 64 : Number(args["max-mb"]);
  if (!Number.isFinite(maxMb) || maxMb <= 0)
    throw new CliError("usage", `--max-mb must be a positive number, got ${args["max-mb"]}`);
  const config = await loadConfig({ flags: { config: args.config }, env: process.env });
  const tool = toolName(command);
  const out = resolve(
    args.out ?? `capture-${tool.replace(/[^\w.-]/g, "_")}-${fileStamp(new Date())}.har`,
  );
  const stderr = process.stderr;
  // Keys the tool or the proxy hold, scrubbed even when they have no known shape.
  const secrets = [config.apiKey, process.env.ANTHROPIC_API_KEY, process.env.OPENAI_API_KEY].filter(
    (s): s is string => typeof s === "string" && s.length >= 8 && s !== "switchyard",
  );
  let scrubber: ReturnType<typeof createScrubber>;
  try {
    scrubber = createScrubber({
      secrets,
      ...(args.scrub !== undefined ? { patterns: [args.scrub] } : {}),
    });
  } catch (error) {
    throw new CliError("usage", `--scrub: ${(error as Error).message}`);
  }
  const recorder = await createRecorder({
    path: out,
    creator: { name: "switchyard", version: SWITCHYARD_VERSION },
    header: { tool },
    maxBytes: Math.floor(maxMb * 1024 * 1024),
    scrubber,
    onStop: (message) => stderr.write(`${message}\n`),
  });
  const logger = {
    info: () => {},
    warn: (m: string) => stderr.write(`switchyard: warning: ${m}\n`),
    error: (m: string) => stderr.write(`switchyard: error: ${m}\n`),
  };
  let code = 1;
  try {
    code = await withProxy({ config, reuse: false, capture: recorder, logger }, (url) => {
      stderr.write(`switchyard: recording ${tool} through ${url} to ${out}\n`);
      return runTool({
        url,
        command,
        env: process.env,
        ...(config.apiKey ? { clientKey: config.apiKey } : {}),
      });
    });
  } finally {
    await recorder.close();
  }
  stderr.write(`switchyard: capture: ${recorder.entries} exchange(s) written to ${out}\n`);
  process.exitCode = code;
});
