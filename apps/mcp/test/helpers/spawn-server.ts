import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** The built bin under test. */
export const CLI_PATH = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

/** A connected MCP client talking to a spawned `node dist/cli.js`. */
export interface SpawnedServer {
  client: Client;
  stderr: () => string;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** An empty temporary SWITCHYARD_HOME, so no test reads the user's real config. */
export function tempHome(config?: unknown): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-mcp-test-"));
  if (config !== undefined) writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** How to start the bin: flags, extra env, and a config.json for its temporary home. */
export interface SpawnOptions {
  args?: string[];
  env?: Record<string, string>;
  config?: unknown;
}

/** Spawns the server with the SDK's stdio client transport and connects a client. */
export async function spawnServer(options: SpawnOptions = {}): Promise<SpawnedServer> {
  const home = tempHome(options.config);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, ...(options.args ?? [])],
    env: { SWITCHYARD_HOME: home.dir, ...options.env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "switchyard-mcp-test", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    call: async (name, args = {}) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      home.remove();
    },
  };
}

/** A raw child process of the bin, for byte-level stdout checks. */
export interface RawServer {
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: () => string[];
  /** Everything written to stderr so far. */
  stderr: () => string;
  send(line: string): void;
  /** Resolves with the parsed response whose id matches. */
  response(id: number, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Spawns `node dist/cli.js` with plain pipes. */
export function spawnRaw(options: SpawnOptions = {}): RawServer {
  const home = tempHome(options.config);
  const child = spawn(process.execPath, [CLI_PATH, ...(options.args ?? [])], {
    env: { PATH: process.env.PATH ?? "", SWITCHYARD_HOME: home.dir, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  const lines = () => out.split("\n").filter((l) => l !== "");
  return {
    child,
    lines,
    stderr: () => err,
    send: (line) => child.stdin.write(`${line}\n`),
    response: async (id, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const line of lines()) {
          const msg = JSON.parse(line) as Record<string, unknown>;
          if (msg.id === id) return msg;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no response with id ${id}; stdout: ${out}`);
    },
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      home.remove();
    },
  };
}
