/**
 * Each library README's first example, run as a user would: as an ES module (`import`) and
 * as CommonJS (`require`), against the built package resolved by name through its `exports`.
 * READMEs of packages still marked "Status: reserved" have no example yet.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { publishablePackages } from "./workspace.js";

const libraries = publishablePackages().filter((p) => p.dir.includes("/packages/"));
const work = mkdtempSync(join(tmpdir(), "switchyard-readme-"));
for (const pkg of libraries) {
  const link = join(work, "node_modules", pkg.name);
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(pkg.dir, link, "dir");
}
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Calls that make an example which only defines functions actually run them. */
const DRIVERS: Record<string, string> = {
  "@switchyard/session": `const result = trackSessions(); if (!result) throw new Error("no snapshot");`,
  "@switchyard/pool": `const client = createChatClient({ primary: "http://127.0.0.1:9", secondary: "http://127.0.0.1:9" }, "k"); if (typeof client.chat !== "function") throw new Error("no client");`,
};

/** The first ts/js block of `readme` that imports `name`. */
export function exampleOf(readme: string, name: string): string | undefined {
  for (const match of readme.matchAll(/```(?:ts|js|typescript)\n([\s\S]*?)```/g)) {
    const code = match[1] ?? "";
    if (code.includes(`from "${name}"`)) return code;
  }
  return undefined;
}

/** `code` as an ES module: TypeScript stripped, nothing else changed. */
function asEsm(code: string): string {
  return ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

/**
 * `code` as CommonJS: imports become `require()` calls at the top and the rest runs in an
 * async function (CommonJS has no top-level await); `export` keywords are dropped.
 */
function asCjs(code: string): string {
  const imports: string[] = [];
  const body = code
    .replace(/^import[\s\S]*?from\s+["'][^"']+["'];?[ \t]*$/gm, (statement) => {
      imports.push(statement);
      return "";
    })
    .replace(/^export\s+(?=(?:async\s+)?function|const|let|class)/gm, "");
  const wrapped = `${imports.join("\n")}\n(async () => {\n${body}\n})().catch((error) => { console.error(error); process.exit(1); });\n`;
  return ts.transpileModule(wrapped, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

describe("README examples", () => {
  const runnable = libraries.filter(
    (pkg) => !readFileSync(join(pkg.dir, "README.md"), "utf8").includes("**Status:** reserved"),
  );

  it("every released library has one", () => {
    expect(runnable.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "@switchyard/openai-compat",
        "@switchyard/pool",
        "@switchyard/session",
      ]),
    );
    for (const pkg of runnable) {
      const readme = readFileSync(join(pkg.dir, "README.md"), "utf8");
      expect(exampleOf(readme, pkg.name), pkg.name).toBeDefined();
    }
  });

  for (const pkg of runnable) {
    const readme = readFileSync(join(pkg.dir, "README.md"), "utf8");
    const example = exampleOf(readme, pkg.name) ?? "";
    const code = `${example}\n${DRIVERS[pkg.name] ?? ""}\n`;
    const slug = pkg.name.replace(/\W+/g, "-");

    it(`${pkg.name} runs as ESM`, () => {
      const file = join(work, `${slug}.mjs`);
      writeFileSync(file, asEsm(code));
      const out = execFileSync(process.execPath, [file], { cwd: work, encoding: "utf8" });
      expect(typeof out).toBe("string");
    });

    it(`${pkg.name} runs as CommonJS (require)`, () => {
      const file = join(work, `${slug}.cjs`);
      const source = asCjs(code);
      expect(source).toContain(`require("${pkg.name}")`);
      writeFileSync(file, source);
      execFileSync(process.execPath, [file], { cwd: work, encoding: "utf8" });
    });
  }
});
