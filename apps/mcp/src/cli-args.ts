import { parseArgs } from "node:util";
import type { ConnectionFlags } from "./connection.js";
import { SwitchyardMcpError } from "./mcp-error.js";

/** The parsed command line of `switchyard-mcp`. */
export interface CliArgs {
  flags: ConnectionFlags;
  help: boolean;
  version: boolean;
}

/** Usage text of `switchyard-mcp`. */
export const USAGE = `switchyard-mcp — MCP server (stdio) for the switchyard LLM router

Usage: switchyard-mcp [--url URL | --host HOST --port PORT] [--config FILE] [--enable-actions]

  --url URL          proxy base URL (env SWITCHYARD_URL)
  --host HOST        proxy host (env SWITCHYARD_HOST, config "host"; default 127.0.0.1)
  --port PORT        proxy port (env SWITCHYARD_PORT, config "port"; default 3456)
  --config FILE      config file (env SWITCHYARD_CONFIG; default $SWITCHYARD_HOME/config.json)
  --enable-actions   also offer the resume and ask_model tools
                     (env SWITCHYARD_MCP_ENABLE_ACTIONS=1, config mcp.enableActions)
  -h, --help         show this help
  -v, --version      show the version

The proxy's API key is read from SWITCHYARD_API_KEY or the config's "apiKey".
Logs go to stderr; stdout carries only MCP protocol messages.
`;

/** Parses `switchyard-mcp`'s arguments (flags only; no positionals). */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new SwitchyardMcpError("invalid_config", `${(error as Error).message}\n\n${USAGE}`);
  }
  const { values } = parsed;
  const flags: ConnectionFlags = {};
  if (values.url !== undefined) flags.url = values.url;
  if (values.host !== undefined) flags.host = values.host;
  if (values.port !== undefined) flags.port = values.port;
  if (values.config !== undefined) flags.config = values.config;
  if (values["enable-actions"]) flags.enableActions = true;
  return { flags, help: values.help === true, version: values.version === true };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      config: { type: "string" },
      "enable-actions": { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}
