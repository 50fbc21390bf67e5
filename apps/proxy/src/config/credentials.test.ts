import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
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
});
