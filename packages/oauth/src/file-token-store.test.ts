import { lstat, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFileTokenStore } from "./file-token-store.js";

const tokens = (n: number) => ({
  accessToken: `canary-access-${n}`,
  tokenType: "bearer",
  refreshToken: `canary-refresh-${n}`,
  expiresAt: 1_000 + n,
});

describe("createFileTokenStore", () => {
  it("writes 0600 atomically and reads back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sy-oauth-"));
    const path = join(dir, "home", "tokens.json");
    const store = createFileTokenStore({ path });
    expect(await store.get("a")).toBeUndefined();
    await store.set("a", tokens(1));
    expect(await store.get("a")).toEqual(tokens(1));
    expect((await lstat(path)).mode & 0o777).toBe(0o600);
    expect((await lstat(join(dir, "home"))).mode & 0o777).toBe(0o700);
    // No temp or lock files are left behind.
    expect(await readdir(join(dir, "home"))).toEqual(["tokens.json"]);
    expect(await store.keys()).toEqual(["a"]);
    expect(await store.delete("a")).toBe(true);
    expect(await store.delete("a")).toBe(false);
  });

  it("loses no update when two stores (two processes) write at once", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sy-oauth-"));
    const path = join(dir, "tokens.json");
    const a = createFileTokenStore({ path });
    const b = createFileTokenStore({ path });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).set(`k${i}`, tokens(i))),
    );
    expect((await a.keys()).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`).sort());
  });

  it("refuses a symlink at the token file, and says so without a token", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sy-oauth-"));
    const target = join(dir, "elsewhere.json");
    await writeFile(target, "{}");
    const path = join(dir, "tokens.json");
    await symlink(target, path);
    const store = createFileTokenStore({ path });
    await expect(store.set("a", tokens(1))).rejects.toMatchObject({ code: "store_error" });
    await expect(store.get("a")).rejects.toThrow(/symlink/);
    expect(await readFile(target, "utf8")).toBe("{}");
  });

  it("refuses a symlink planted at the lock path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sy-oauth-"));
    const path = join(dir, "tokens.json");
    await symlink(join(dir, "victim"), `${path}.lock`);
    const store = createFileTokenStore({ path, lockTimeoutMs: 200 });
    await expect(store.set("a", tokens(1))).rejects.toMatchObject({ code: "store_error" });
  });

  it("takes over a stale lock left by a crashed process", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sy-oauth-"));
    const path = join(dir, "tokens.json");
    await writeFile(`${path}.lock`, "99999");
    const store = createFileTokenStore({ path, staleLockMs: 0, lockTimeoutMs: 1000 });
    await store.set("a", tokens(1));
    expect(await store.get("a")).toEqual(tokens(1));
  });
});
