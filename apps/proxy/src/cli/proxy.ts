import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { defineCommand } from "citty";
import type { Logger } from "../backends/types.js";
import { CLIENT_KEY_ADVICE, weakClientKeyReason } from "../config/client-key.js";
import { type ConfigFlags, loadConfig } from "../config/load.js";
import type { ResolvedConfig } from "../config/types.js";
import { isLoopbackHost } from "../config/values.js";
import { action, CliError } from "./action.js";
import { fileStamp } from "./launch-tool.js";
import { createLineWriter } from "./line-writer.js";
import { cliCommand, formatBanner } from "./proxy-banner.js";
import { SWITCHYARD_VERSION } from "./version.js";

/** Turn a listen failure into a message that says what to do. */
function explainListenError(error: unknown, host: string, port: number): CliError | undefined {
  const code = ((error as { cause?: { code?: string } }).cause ?? (error as { code?: string }))
    ?.code;
  const where = `${host}:${port}`;
  if (code === "EADDRINUSE") {
    return new CliError(
      "failed",
      `port ${port} on ${host} is already in use (another switchyard? try \`switchyard status\`), or pick another with --port`,
    );
  }
  if (code === "EACCES")
    return new CliError(
      "failed",
      `not allowed to listen on ${where} (ports below 1024 need privileges)`,
    );
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new CliError(
      "failed",
      `cannot listen on ${where}: ${host} is not an address of this machine`,
    );
  }
  return undefined;
}

/** A recorder writing `<dir>/switchyard-<time>.har` (the folder is created). */
async function openCapture(dir: string, config: ResolvedConfig) {
  const { createRecorder, createScrubber } = await import("@switchyard/template-capture");
  await mkdir(dir, { recursive: true });
  return createRecorder({
    path: resolve(dir, `switchyard-${fileStamp(new Date())}.har`),
    creator: { name: "switchyard", version: SWITCHYARD_VERSION },
    scrubber: createScrubber({ secrets: config.apiKey ? [config.apiKey] : [] }),
    onStop: (message) => process.stderr.write(`${message}\n`),
  });
}

/** `switchyard proxy`: load config, start the server, serve until a signal. */
export const proxyCommand = defineCommand({
  meta: { name: "proxy", description: "Start the proxy server" },
  args: {
    port: {
      type: "string",
      description: "Port (default 3456; 0 picks a free one)",
      valueHint: "port",
    },
    host: { type: "string", description: "Host to bind (default 127.0.0.1)", valueHint: "host" },
    config: {
      type: "string",
      description: "Config file (default: $SWITCHYARD_CONFIG or <home>/config.json)",
      valueHint: "file",
    },
    verbose: { type: "boolean", description: "Log server details on stderr" },
    capture: {
      type: "string",
      description: "Record every exchange clients have with the proxy as HAR into this folder",
      valueHint: "dir",
    },
  },
  run: action(async ({ args }) => {
    const flags: ConfigFlags = {
      port: args.port,
      host: args.host,
      config: args.config,
      verbose: args.verbose,
    };
    const config = await loadConfig({ flags, env: process.env });
    const stderr = process.stderr;
    for (const warning of config.warnings ?? []) stderr.write(`switchyard: warning: ${warning}\n`);
    if (!isLoopbackHost(config.host) && !config.apiKey) {
      throw new CliError(
        "refused",
        `refusing to listen on ${config.host} without a client key: anyone who can reach this machine could use your backends. Set SWITCHYARD_API_KEY (or "apiKey" in config.json), or bind 127.0.0.1`,
      );
    }
    const weak = isLoopbackHost(config.host) ? undefined : weakClientKeyReason(config.apiKey ?? "");
    if (weak !== undefined) {
      throw new CliError(
        "refused",
        `refusing to listen on ${config.host} with a weak client key (${weak}): anyone who can reach this machine could guess it; ${CLIENT_KEY_ADVICE}, or bind 127.0.0.1`,
      );
    }
    const logger: Logger = {
      info: (m) => config.verbose && stderr.write(`switchyard: ${m}\n`),
      warn: (m) => stderr.write(`switchyard: warning: ${m}\n`),
      error: (m) => stderr.write(`switchyard: error: ${m}\n`),
    };
    // The request log: a terminal gets each line at once; a file or pipe gets them in one
    // write at most 100 ms late instead of a (synchronous) write per request. Whatever is
    // buffered is written on exit, a clean stop (SIGINT, SIGTERM) and a crash's exit included.
    const log = createLineWriter({
      stream: process.stdout,
      intervalMs: process.stdout.isTTY ? 0 : 100,
    });
    process.on("exit", () => log.flushNow());
    const { startServer } = await import("../server/index.js");
    const recorder =
      args.capture === undefined ? undefined : await openCapture(args.capture, config);
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer({
        config,
        version: SWITCHYARD_VERSION,
        logger,
        // The ring's bytes of the line: copied, not encoded a second time.
        requestLog: (_entry, line, bytes) =>
          bytes === undefined ? log.write(line) : log.writeBytes(bytes),
        ...(recorder !== undefined ? { capture: recorder } : {}),
        // Live reload: the same flags and environment, read again when the files change.
        reload: {
          load: () => loadConfig({ flags, env: process.env }),
          // A refused config is logged as an error by the server; say a swap happened too.
          onReload: (result) => {
            if (result.ok) stderr.write(`switchyard: config reloaded: ${result.message}\n`);
          },
        },
      });
    } catch (error) {
      throw explainListenError(error, config.host, config.port) ?? error;
    }
    stderr.write(
      formatBanner({
        config,
        version: SWITCHYARD_VERSION,
        url: server.url,
        port: server.port,
        command: cliCommand(process.argv[1], (dir) => existsSync(join(dir, "pnpm-workspace.yaml"))),
      }),
    );
    if (recorder !== undefined)
      stderr.write(`  capture   recording every exchange to ${recorder.path}\n`);

    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        stderr.write(`switchyard: ${signal} again, exiting now\n`);
        process.exit(1);
      }
      stopping = true;
      stderr.write(
        `switchyard: ${signal}: draining in-flight requests (up to ${config.shutdownGraceMs} ms); send it again to exit now\n`,
      );
      server
        .close(config.shutdownGraceMs)
        .then(() => recorder?.close())
        .then(() => log.flush())
        .then(
          () => {
            stderr.write("switchyard: stopped\n");
            process.exit(0);
          },
          (error: unknown) => {
            stderr.write(`switchyard: error while stopping: ${(error as Error).message}\n`);
            process.exit(1);
          },
        );
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }),
});
