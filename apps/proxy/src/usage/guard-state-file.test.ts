import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOverageGuard } from "@switchyard/overage-guard";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFileGuardStateStore, guardStatePath } from "./guard-state-file.js";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "switchyard-guard-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("createFileGuardStateStore", () => {
  it("keeps a halt across a proxy restart", async () => {
    const path = guardStatePath(home);
    const now = () => Date.parse("2026-11-21T10:00:00Z");
    const before = createOverageGuard({ now, store: createFileGuardStateStore({ path }) });
    await before.load();
    before.signal({ kind: "payment-required", backend: "openrouter", detail: "402" });
    await before.flush();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, "utf8")).halts).toHaveLength(1);

    const after = createOverageGuard({ now, store: createFileGuardStateStore({ path }) });
    await after.load();
    expect(after.check({ backend: "openrouter", model: "x" })).toMatchObject({
      allowed: false,
      since: "2026-11-21T10:00:00.000Z",
      signal: { kind: "payment-required" },
    });
  });

  it("loads nothing from a missing file and ignores a corrupt one", async () => {
    const path = guardStatePath(home);
    expect(await createFileGuardStateStore({ path }).load()).toBeUndefined();
    await writeFile(path, "{ not json");
    const logger = { warn: vi.fn() };
    expect(await createFileGuardStateStore({ path, logger }).load()).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledOnce();
  });
});
