#!/usr/bin/env node
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { parseCliArgs, USAGE } from "./cli-args.js";
import { resolveProxyConnection } from "./connection.js";
import { limitLineLength } from "./internal/line-limit.js";
import { SwitchyardMcpError } from "./mcp-error.js";
import { INVALID_REQUEST, replyToParseErrors } from "./parse-error-replies.js";
import { createSwitchyardMcpServer, VERSION } from "./server.js";

/** Longest input line read; the SDK's own stdio buffer stops at 10 MiB. */
const MAX_LINE_BYTES = 8 * 1024 * 1024;

// stdout belongs to the protocol: anything a dependency logs goes to stderr instead.
const toStderr = (...args: unknown[]) => console.error(...args);
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;

const log = (message: string) => process.stderr.write(`switchyard-mcp: ${message}\n`);

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  // --help and --version start no MCP session, so they answer on stdout like any CLI.
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.version) {
    process.stdout.write(`${VERSION}\n`);
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
  // Lines over 8 MiB are answered and dropped here: the SDK's transport would close for good
  // at 10 MiB, leaving the editor talking to a server that no longer reads.
  const input = process.stdin.pipe(
    limitLineLength(MAX_LINE_BYTES, () => {
      const reply = {
        jsonrpc: "2.0",
        id: null,
        error: {
          code: INVALID_REQUEST,
          message: `Request too large (over ${MAX_LINE_BYTES} bytes)`,
        },
      } as unknown as JSONRPCMessage;
      transport.send(reply).catch(() => {});
      log(`ignored an input line over ${MAX_LINE_BYTES} bytes`);
    }),
  );
  const transport = new StdioServerTransport(input, process.stdout);
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
