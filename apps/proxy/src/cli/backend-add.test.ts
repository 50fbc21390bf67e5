import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addBackend } from "./backend-add.js";

describe("addBackend --base-url", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "sy-add-"));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const add = (baseUrl: string) =>
    addBackend({
      home,
      configPath: join(home, "config.json"),
      env: { SWITCHYARD_HOME: home },
      name: "ui",
      type: "openai",
      baseUrl,
    });

  it("never echoes a value that is not a URL (a key pasted into the wrong flag)", async () => {
    const run = add("sk-LEAKCANARY-openai-123456");
    await expect(run).rejects.toThrow(
      "--base-url must be an http(s) URL, got a string of 27 characters that is not an http(s) URL",
    );
    await expect(run).rejects.not.toThrow(/LEAKCANARY/);
    expect(await readdir(home)).not.toContain("config.json");
  });

  it("echoes a URL with a scheme with its credentials masked", async () => {
    const run = add("ftp://LEAKCANARYuser55@127.0.0.1:1/v1?code=LEAKCANARY9");
    await expect(run).rejects.toThrow(
      '--base-url must be an http(s) URL, got "ftp://[redacted]@127.0.0.1:1/v1?code=[redacted]"',
    );
    await expect(run).rejects.not.toThrow(/LEAKCANARY/);
  });
});
