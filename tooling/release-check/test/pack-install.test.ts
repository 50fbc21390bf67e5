/**
 * What a user installs: every publishable package packed (`pnpm pack`, which turns
 * `workspace:` ranges into versions, as `pnpm publish` does), then all tarballs installed
 * globally into an empty prefix with npm. Our packages come only from the tarballs (none of
 * them is on the registry, so a lookup there would fail the install); third-party
 * dependencies come from the registry. Then the installed bins are run.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishablePackages } from "./workspace.js";

const packages = publishablePackages();
const work = mkdtempSync(join(tmpdir(), "switchyard-pack-"));
const tarballs = join(work, "tarballs");
const prefix = join(work, "prefix");
const home = join(work, "home");
const env = {
  ...process.env,
  SWITCHYARD_HOME: home,
  npm_config_cache: join(work, "npm-cache"),
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false",
};
const bin = (name: string) => join(prefix, "bin", name);
const children: ChildProcess[] = [];

/** pnpm, as the one running this test (npm_execpath) or from PATH. */
function pnpm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath;
  return execPath?.includes("pnpm")
    ? execFileSync(process.execPath, [execPath, ...args], { cwd, env, encoding: "utf8" })
    : execFileSync("pnpm", args, { cwd, env, encoding: "utf8" });
}

function tarList(file: string): string[] {
  return execFileSync("tar", ["tzf", file], { encoding: "utf8" }).split("\n").filter(Boolean);
}

/** First line of `child`'s stdout (or stderr) that satisfies `pick`, within `ms`. */
function firstLine(
  child: ChildProcess,
  pick: (line: string) => boolean,
  stream: "stdout" | "stderr" = "stdout",
  ms = 20_000,
) {
  return new Promise<string>((resolve, reject) => {
    let stderr = "";
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms: ${stderr}`)), ms);
    const input = stream === "stdout" ? child.stdout : child.stderr;
    if (input === null) throw new Error("no pipe");
    createInterface({ input }).on("line", (line) => {
      if (pick(line)) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
}

/** Sends `initialize` to an MCP server on stdio and returns its result. */
async function mcpInitialize(command: string, args: string[]) {
  const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  const answer = firstLine(child, (line) => line.startsWith("{"));
  child.stdin.write(
    `${JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "pack-test", version: "1" },
      },
    })}\n`,
  );
  const reply = JSON.parse(await answer);
  child.stdin.end();
  return reply.result as { serverInfo: { name: string } };
}

beforeAll(() => {
  for (const pkg of packages) pnpm(["pack", "--pack-destination", tarballs], pkg.dir);
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  execFileSync("npm", ["install", "--global", "--prefix", prefix, ...files], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 200_000,
  });
});

afterAll(() => {
  for (const child of children) child.kill();
  rmSync(work, { recursive: true, force: true });
});

describe("packed and installed globally", () => {
  it("packs every package with its LICENSE, README and built code", () => {
    const files = readdirSync(tarballs);
    expect(files).toHaveLength(packages.length);
    for (const file of files) {
      const list = tarList(join(tarballs, file));
      expect(list, file).toContain("package/LICENSE");
      expect(list, file).toContain("package/README.md");
      expect(
        list.some((f) => f.startsWith("package/dist/")),
        file,
      ).toBe(true);
      expect(
        list.some((f) => f.includes("/src/") || f.endsWith(".test.js")),
        file,
      ).toBe(false);
    }
  });

  it("`switchyard --version` prints the CLI's version", () => {
    const out = execFileSync(bin("switchyard"), ["--version"], { env, encoding: "utf8" });
    const cli = packages.find((p) => p.name === "@switchyard/cli");
    expect(out.trim()).toBe(cli?.version);
  });

  it("`switchyard proxy` serves echo", async () => {
    const proxy = spawn(bin("switchyard"), ["proxy", "--port", "0"], { env });
    children.push(proxy);
    const line = await firstLine(proxy, (l) => l.includes("listening on http://"), "stderr");
    const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "echo:m", messages: [{ role: "user", content: "packed" }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe("packed");
    proxy.kill("SIGTERM");
  });

  it("`switchyard mcp` and the `switchyard-mcp` bin answer MCP initialize", async () => {
    for (const [command, args] of [
      [bin("switchyard"), ["mcp", "--port", "9"]],
      [bin("switchyard-mcp"), ["--port", "9"]],
    ] as const) {
      const result = await mcpInitialize(command, [...args]);
      expect(result.serverInfo.name).toBe("switchyard");
    }
  });

  it("every library loads by name with require() and with import", () => {
    // Resolved by name from the prefix's lib/, through each package's `exports`.
    const cwd = join(prefix, "lib");
    for (const pkg of packages.filter((p) => p.dir.includes("/packages/"))) {
      const name = JSON.stringify(pkg.name);
      const cjs = `const m = require(${name}); if (typeof m !== "object") process.exit(1);`;
      execFileSync(process.execPath, ["-e", cjs], { env, cwd });
      const esm = `const m = await import(${name}); if (typeof m !== "object") process.exit(1);`;
      execFileSync(process.execPath, ["--input-type=module", "-e", esm], { env, cwd });
    }
  });
});
