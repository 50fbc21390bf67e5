/**
 * Vitest globalSetup shared by every package: tests never touch the real home.
 *
 * Before any test worker starts, HOME (and USERPROFILE) point at a fresh temp dir and the
 * variables that would send a test elsewhere (SWITCHYARD_*, CODEX_HOME, CLAUDE_CONFIG_DIR) are
 * removed, so code that falls back to `os.homedir()` writes into the temp home. As a second
 * line, the real `~/.switchyard`, `~/.claude`, `~/.claude.json` and `~/.codex` are fingerprinted
 * (path, size, mtime) and compared at teardown: any change fails the run, naming the paths.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

const WATCHED = [".switchyard", ".claude", ".claude.json", ".codex"];
const MAX_ENTRIES = 20_000;
const CLEARED = [
  "SWITCHYARD_HOME",
  "SWITCHYARD_CONFIG",
  "SWITCHYARD_PORT",
  "SWITCHYARD_HOST",
  "SWITCHYARD_API_KEY",
  "SWITCHYARD_URL",
  "CODEX_HOME",
  "CLAUDE_CONFIG_DIR",
];

/** path -> "size:mtime" (or "dir"), for everything under the watched names in `home`. */
export function fingerprint(home: string): Map<string, string> {
  const seen = new Map<string, string>();
  const walk = (path: string): void => {
    if (seen.size >= MAX_ENTRIES) return;
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(path);
    } catch {
      return; // absent: its appearance is a change, seen at teardown
    }
    if (stat.isDirectory()) {
      seen.set(path, `dir:${stat.mtimeMs}`);
      for (const name of readdirSync(path)) walk(join(path, name));
    } else {
      seen.set(path, `${stat.size}:${stat.mtimeMs}`);
    }
  };
  for (const name of WATCHED) walk(join(home, name));
  return seen;
}

/** The paths added, removed or changed between two fingerprints. */
export function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [path, sig] of after) if (before.get(path) !== sig) changed.push(path);
  for (const path of before.keys()) if (!after.has(path)) changed.push(`${path} (removed)`);
  return changed.sort();
}

export default function setup(): () => void {
  const realHome = homedir();
  const before = fingerprint(realHome);
  const tempHome = mkdtempSync(join(tmpdir(), "switchyard-test-home-"));
  const saved = { HOME: process.env.HOME, USERPROFILE: process.env.USERPROFILE };
  process.env.HOME = tempHome;
  process.env.USERPROFILE = tempHome;
  for (const name of CLEARED) delete process.env[name];
  return () => {
    process.env.HOME = saved.HOME;
    process.env.USERPROFILE = saved.USERPROFILE;
    rmSync(tempHome, { recursive: true, force: true });
    const changed = changedPaths(before, fingerprint(realHome));
    if (changed.length > 0) {
      process.exitCode = 1; // an error thrown here is only printed: the run must fail
      throw new Error(
        `tests touched the real home ${realHome} (every test must use a temp HOME/SWITCHYARD_HOME):\n  ${changed.slice(0, 20).join("\n  ")}`,
      );
    }
  };
}
