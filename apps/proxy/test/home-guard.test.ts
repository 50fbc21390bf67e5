/**
 * The shared vitest globalSetup (`vitest.home-guard.ts` at the repository root) gives every
 * test run a temp HOME and fails the run when anything under the real home's ~/.switchyard,
 * ~/.claude or ~/.codex changed. Checked here by running vitest itself on a one-file project
 * whose "real home" is a temp dir.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const guard = fileURLToPath(new URL("../../../vitest.home-guard.ts", import.meta.url));
const vitestBin = join(
  createRequire(import.meta.url).resolve("vitest/package.json"),
  "../vitest.mjs",
);

describe("home guard", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("this run's HOME is a temp dir", () => {
    expect(homedir()).toContain("switchyard-test-home-");
    expect(process.env.SWITCHYARD_HOME).toBeUndefined();
  });

  /** Runs a one-test project under HOME=fakeHome whose test body is `body`. */
  function runProject(body: string) {
    const fakeHome = mkdtempSync(join(tmpdir(), "switchyard-guard-real-"));
    const project = mkdtempSync(join(tmpdir(), "switchyard-guard-proj-"));
    dirs.push(fakeHome, project);
    mkdirSync(join(fakeHome, ".switchyard"));
    writeFileSync(
      join(project, "vitest.config.mjs"),
      `export default { test: { globals: true, include: ["*.test.mjs"], globalSetup: [${JSON.stringify(guard)}] } };\n`,
    );
    writeFileSync(
      join(project, "probe.test.mjs"),
      `import { writeFileSync } from "node:fs";\nimport { homedir } from "node:os";\ntest("probe", () => { ${body} });\n`,
    );
    return spawnSync(process.execPath, [vitestBin, "run", "--root", project], {
      env: { ...process.env, HOME: fakeHome, FAKE_REAL_HOME: fakeHome },
      encoding: "utf8",
      timeout: 60_000,
    });
  }

  it("fails the run when a test writes into the real ~/.switchyard, naming the file", () => {
    const run = runProject(
      `writeFileSync(process.env.FAKE_REAL_HOME + "/.switchyard/claude-quota.json", "{}");`,
    );
    expect(run.status).toBe(1);
    expect(run.stderr + run.stdout).toContain("tests touched the real home");
    expect(run.stderr + run.stdout).toContain("claude-quota.json");
  }, 60_000);

  it("passes a run that writes only under the temp HOME", () => {
    const run = runProject(
      `if (homedir() === process.env.FAKE_REAL_HOME) throw new Error("HOME not replaced"); writeFileSync(homedir() + "/x", "{}");`,
    );
    expect(run.stderr + run.stdout).not.toContain("tests touched the real home");
    expect(run.status).toBe(0);
  }, 60_000);
});
