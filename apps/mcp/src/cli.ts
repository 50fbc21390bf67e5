#!/usr/bin/env node
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { parseCliArgs, USAGE } from "./cli-args.js";
import { resolveProxyConnection } from "./connection.js";
import { SwitchyardMcpError } from "./mcp-error.js";
import { replyToParseErrors } from "./parse-error-replies.js";
import { createSwitchyardMcpServer, VERSION } from "./server.js";

// stdout belongs to the protocol: anything a dependency logs goes to stderr instead.
const toStderr = (...args: unknown[]) => console.error(...args);
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;

const log = (message: string) => process.stderr.write(`switchyard-mcp: ${message}\n`);

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help) {
    process.stderr.write(USAGE);
    return;
  }
  if (args.version) {
    process.stderr.write(`${VERSION}\n`);
    return;
  }
  const conn = resolveProxyConnection({ flags: args.flags });
  for (const warning of conn.warnings) log(`warning: ${warning}`);
  const server = createSwitchyardMcpServer({
    baseUrl: conn.baseUrl,
    address: conn.address,
    ...(conn.apiKey ? { apiKey: conn.apiKey } : {}),
    enableActions: conn.enableActions,
  });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  replyToParseErrors(transport, (error) => log(error.message));
  log(
    `v${VERSION} ready on stdio; proxy ${conn.baseUrl} (${conn.sources.host}/${conn.sources.port}), ` +
      `api key ${conn.apiKey ? `from ${conn.sources.apiKey}` : "none"}, ` +
      `actions ${conn.enableActions ? `on (${conn.sources.enableActions})` : "off"}`,
  );
  const shutdown = () => {
    server.close().finally(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  const message =
    SwitchyardMcpError.isInstance(error) || error instanceof Error ? error.message : String(error);
  log(message);
  process.exit(SwitchyardMcpError.isInstance(error) && error.code === "invalid_config" ? 2 : 1);
});
