/** What every package.json promises: an MIT LICENSE shipped, and ESM + CommonJS with types. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { publishablePackages, ROOT } from "./workspace.js";

const packages = publishablePackages();
const license = readFileSync(join(ROOT, "LICENSE"), "utf8");

describe("package manifests", () => {
  it("the repository has an MIT LICENSE", () => {
    expect(license).toMatch(/^MIT License/);
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).license ?? "MIT").toBe(
      "MIT",
    );
  });

  it.each(packages.map((p) => [p.name, p] as const))(
    "%s is MIT, ships the same LICENSE file",
    (_, pkg) => {
      expect(pkg.license).toBe("MIT");
      expect(pkg.files).toContain("LICENSE");
      expect(readFileSync(join(pkg.dir, "LICENSE"), "utf8")).toBe(license);
    },
  );

  it.each(packages.filter((p) => p.dir.includes("/packages/")).map((p) => [p.name, p] as const))(
    "%s exports import and require, each with its types, and the files exist",
    (_, pkg) => {
      const root = pkg.exports?.["."] as Record<string, { types: string; default: string }>;
      expect(Object.keys(root)).toEqual(["import", "require"]);
      expect(root.import).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
      expect(root.require).toEqual({ types: "./dist/index.d.cts", default: "./dist/index.cjs" });
      for (const file of Object.values(root).flatMap((c) => [c.types, c.default])) {
        expect(existsSync(join(pkg.dir, file)), `${pkg.name} ${file}`).toBe(true);
      }
    },
  );
});

describe("the root README's package table", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  it.each(packages.filter((p) => p.dir.includes("/packages/")).map((p) => [p.name, p] as const))(
    "%s is marked in progress exactly while it is reserved",
    (_, pkg) => {
      const reserved = readFileSync(join(pkg.dir, "README.md"), "utf8").includes(
        "**Status:** reserved",
      );
      const row = readme.split("\n").find((line) => line.includes(`[\`${pkg.name}\`]`));
      expect(row, `${pkg.name} has a row`).toBeDefined();
      expect(row?.includes("in progress"), pkg.name).toBe(reserved);
    },
  );
});
