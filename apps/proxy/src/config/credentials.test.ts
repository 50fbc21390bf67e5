import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCredentialStore } from "./credentials.js";

describe.skipIf(process.platform === "win32")("createCredentialStore", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "sy-cred-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes a 0600 file in a 0700 directory and leaves no temp files", async () => {
    const home = join(root, "home");
    const store = createCredentialStore({ home });
    await store.set("groq", "gsk-aaa");
    await store.set("openrouter", "or-bbb");
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect(await readdir(home)).toEqual(["credentials.json"]);
    expect(JSON.parse(await readFile(store.path, "utf8"))).toEqual({
      version: 1,
      backends: { groq: { apiKey: "gsk-aaa" }, openrouter: { apiKey: "or-bbb" } },
    });
    expect(await store.get("groq")).toBe("gsk-aaa");
    expect(await store.delete("groq")).toBe(true);
    expect(await store.delete("groq")).toBe(false);
    expect(await store.readAll()).toEqual({ openrouter: "or-bbb" });
  });

  it("never echoes a corrupt file's content in its error", async () => {
    const home = join(root, "home");
    const store = createCredentialStore({ home });
    await store.set("x", "y-secret");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(store.path, '{"backends": {"x": {"apiKey": "y-secret"');
    const error = await store.get("x").catch((e: Error) => e);
    expect(error).toMatchObject({ code: "invalid_json" });
    expect(String((error as Error).message)).not.toContain("y-secret");
  });

  it("refuses a symlink planted at credentials.json and never copies its target", async () => {
    const home = join(root, "home");
    await mkdir(home, { mode: 0o700 });
    const target = join(root, "elsewhere.json");
    await writeFile(target, '{"version":1,"backends":{"victim":{"apiKey":"sk-other-secret"}}}');
    await symlink(target, join(home, "credentials.json"));
    const store = createCredentialStore({ home, warn: () => {} });
    await expect(store.set("groq", "gsk-new")).rejects.toMatchObject({
      code: "io_error",
      message: expect.stringContaining("symbolic link"),
    });
    await expect(store.readAll()).rejects.toMatchObject({ code: "io_error" });
    // The target is untouched and nothing of it was copied anywhere.
    expect(await readFile(target, "utf8")).toContain("sk-other-secret");
    expect(await readdir(home)).toEqual(["credentials.json"]);
  });

  it("removes temp files left by a killed writer (they hold keys)", async () => {
    const home = join(root, "home");
    await mkdir(home, { mode: 0o700 });
    // pid 2^22+1 is above Linux's pid_max default: no such process.
    const dead = join(home, ".credentials.json.4194305.a1b2c3d4e5f6.tmp");
    await writeFile(dead, '{"version":1,"backends":{"x":{"apiKey":"sk-leftover"}}}');
    const live = join(home, `.credentials.json.${process.pid}.0011223344ff.tmp`);
    await writeFile(live, "{}");
    const store = createCredentialStore({ home, warn: () => {} });
    expect(await store.readAll()).toEqual({});
    expect((await readdir(home)).sort()).toEqual([live.slice(home.length + 1)]);
  });

  it("warns about a loose home and file and tightens them (they are ours)", async () => {
    const home = join(root, "home");
    await mkdir(home);
    await chmod(home, 0o755);
    await writeFile(join(home, "credentials.json"), '{"version":1,"backends":{}}');
    await chmod(join(home, "credentials.json"), 0o644);
    const warnings: string[] = [];
    const store = createCredentialStore({ home, warn: (m) => warnings.push(m) });
    await store.set("groq", "gsk-aaa");
    await store.get("groq");
    expect(warnings).toEqual([
      expect.stringMatching(/directory .*home had mode 0755 .*changed it to 0700/),
      expect.stringMatching(/file .*credentials\.json had mode 0644 .*changed it to 0600/),
    ]);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });
});
