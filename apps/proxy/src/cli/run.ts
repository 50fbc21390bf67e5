import { defineCommand } from "citty";
import { loadConfig } from "../config/load.js";
import { action } from "./action.js";
import { commandAfterDashes, runTool, withProxy } from "./launch-tool.js";

/** `switchyard run -- <cmd…>`: run a tool with its base URLs pointed at the proxy. */
export const runCommand = defineCommand({
  meta: {
    name: "run",
    description:
      "Run a tool with its base URLs pointed at the proxy (starts one for the duration if none is running)",
  },
  args: {
    config: {
      type: "string",
      description: "Config file (default: $SWITCHYARD_CONFIG or <home>/config.json)",
      valueHint: "file",
    },
  },
  run: action(async ({ args, rawArgs }) => {
    const command = commandAfterDashes(rawArgs, "switchyard run -- <command> [args...]");
    const config = await loadConfig({ flags: { config: args.config }, env: process.env });
    const stderr = process.stderr;
    const logger = {
      info: () => {},
      warn: (m: string) => stderr.write(`switchyard: warning: ${m}\n`),
      error: (m: string) => stderr.write(`switchyard: error: ${m}\n`),
    };
    const code = await withProxy({ config, reuse: true, logger }, (url, started) => {
      stderr.write(
        `switchyard: ${started ? "started a proxy for this run at" : "using the running proxy at"} ${url}\n`,
      );
      return runTool({
        url,
        command,
        env: process.env,
        ...(config.apiKey ? { clientKey: config.apiKey } : {}),
      });
    });
    process.exitCode = code;
  }),
});
