import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineCommand } from "citty";

/** The `switchyard-mcp` bin named by the `@switchyard/mcp` package.json at `pkgPath`. */
function binOf(pkgPath: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as {
      name?: string;
      bin?: Record<string, string>;
    };
    const bin = pkg.name === "@switchyard/mcp" ? pkg.bin?.["switchyard-mcp"] : undefined;
    return bin ? join(dirname(pkgPath), bin) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where the `switchyard-mcp` bin of `@switchyard/mcp` lives: resolved from here (a
 * dependency, or a sibling in the same global `node_modules`), else the workspace's own
 * `apps/mcp` when running from a clone (`apps/proxy/dist/cli.js`); else `undefined`.
 */
export function resolveMcpBin(from: string = import.meta.url): string | undefined {
  try {
    return binOf(createRequire(from).resolve("@switchyard/mcp/package.json"));
  } catch {
    // not installed next to the CLI: a clone has it at apps/mcp
  }
  const workspace = binOf(fileURLToPath(new URL("../../mcp/package.json", from)));
  return workspace !== undefined && existsSync(workspace) ? workspace : undefined;
}

/**
 * Runs the switchyard MCP server with this process's stdio, so stdin/stdout carry MCP
 * directly. Resolves with the child's exit code.
 */
export function runMcp(argv: string[], options: { bin?: string } = {}): Promise<number> {
  const bin = options.bin ?? resolveMcpBin();
  const child: ChildProcess = bin
    ? spawn(process.execPath, [bin, ...argv], { stdio: "inherit" })
    : spawn("switchyard-mcp", argv, { stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onTerm = forward("SIGTERM");
  const onInt = forward("SIGINT");
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  return new Promise((resolve) => {
    const done = (code: number) => {
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
      resolve(code);
    };
    child.once("error", (error: NodeJS.ErrnoException) => {
      process.stderr.write(
        error.code === "ENOENT"
          ? "switchyard: `switchyard mcp` needs the MCP server — install it with `npm install -g @switchyard/mcp` (in a clone: `pnpm build`, then `pnpm switchyard mcp`)\n"
          : `switchyard: could not start switchyard-mcp: ${error.message}\n`,
      );
      done(1);
    });
    child.once("exit", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/** `switchyard mcp`: the MCP server for editors (stdio), i.e. `switchyard-mcp` with the same flags. */
export const mcpCommand = defineCommand({
  meta: { name: "mcp", description: "Run the MCP server for editors on stdio (switchyard-mcp)" },
  args: {
    url: { type: "string", description: "Proxy base URL", valueHint: "url" },
    host: { type: "string", description: "Proxy host", valueHint: "host" },
    port: { type: "string", description: "Proxy port", valueHint: "port" },
    config: { type: "string", description: "Config file", valueHint: "file" },
    "enable-actions": {
      type: "boolean",
      description: "Also offer the resume and ask_model tools",
    },
  },
  run: async ({ rawArgs }) => {
    process.exitCode = await runMcp(rawArgs);
  },
});
