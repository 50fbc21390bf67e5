import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const changesetDir = join(root, ".changeset");

/** Names of the publishable workspace packages (apps/*, packages/*), read from their package.json. */
function publishableNames(): Set<string> {
  const names = new Set<string>();
  for (const group of ["apps", "packages"]) {
    for (const dir of readdirSync(join(root, group))) {
      try {
        const pkg = JSON.parse(readFileSync(join(root, group, dir, "package.json"), "utf8")) as {
          name: string;
          private?: boolean;
        };
        if (!pkg.private) names.add(pkg.name);
      } catch {
        // a folder without package.json is not a package
      }
    }
  }
  return names;
}

/** The `"name": bump` lines of a changeset's frontmatter. */
function frontmatter(text: string): Array<{ name: string; bump: string }> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!match?.[1]) return [];
  return match[1]
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const entry = /^\s*["']?([^"':]+(?:\/[^"':]+)?)["']?\s*:\s*(\S+)\s*$/.exec(line);
      return { name: entry?.[1] ?? line, bump: entry?.[2] ?? "" };
    });
}

describe("changesets", () => {
  const files = readdirSync(changesetDir).filter((f) => f.endsWith(".md") && f !== "README.md");
  const names = publishableNames();

  it("finds the workspace packages, under their published names", () => {
    expect(names).toContain("@switchyard/cli");
    expect(names).toContain("@switchyard/mcp");
    expect(names).not.toContain("switchyard");
  });

  it("every changeset names only packages that exist, with a valid bump", () => {
    const bad: string[] = [];
    for (const file of files) {
      const entries = frontmatter(readFileSync(join(changesetDir, file), "utf8"));
      if (entries.length === 0) bad.push(`${file}: no frontmatter`);
      for (const { name, bump } of entries) {
        if (!names.has(name)) bad.push(`${file}: "${name}" is not a workspace package`);
        if (!["patch", "minor", "major"].includes(bump)) bad.push(`${file}: bump "${bump}"`);
      }
    }
    expect(bad).toEqual([]);
  });
});
