import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { watchFiles } from "./watch-files.js";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) until `count()` reaches `n`. */
async function until(count: () => number, n: number): Promise<void> {
  for (let i = 0; i < 100 && count() < n; i++) await wait(20);
}

describe("watchFiles", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sy-watch-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("sees a file created, written in place and replaced by rename; one call per burst", async () => {
    let calls = 0;
    const file = join(dir, "config.json");
    const watch = watchFiles({ files: [file], debounceMs: 50, onChange: () => calls++ });
    try {
      await writeFile(file, "{}");
      await until(() => calls, 1);
      expect(calls).toBe(1);
      // An editor's burst: several writes and a rename-replace, debounced into one call.
      await writeFile(file, '{"a":1}');
      await writeFile(join(dir, "config.json.tmp"), '{"a":2}');
      await rename(join(dir, "config.json.tmp"), file);
      await until(() => calls, 2);
      await wait(150);
      expect(calls).toBe(2);
      // Still watched after the rename replaced the file.
      await writeFile(file, '{"a":3}');
      await until(() => calls, 3);
      expect(calls).toBe(3);
    } finally {
      watch.close();
    }
  });

  it("ignores other files in the directory and stops when closed", async () => {
    let calls = 0;
    const watch = watchFiles({
      files: [join(dir, "config.json"), join(dir, "credentials.json")],
      debounceMs: 30,
      onChange: () => calls++,
    });
    await writeFile(join(dir, "guard-state.json"), "{}");
    await wait(150);
    expect(calls).toBe(0);
    await writeFile(join(dir, "credentials.json"), "{}");
    await until(() => calls, 1);
    expect(calls).toBe(1);
    watch.close();
    await writeFile(join(dir, "config.json"), "{}");
    await wait(150);
    expect(calls).toBe(1);
  });
});
