import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveProxyAddress } from "./address.js";

describe("resolveProxyAddress", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "sy-addr-"));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("defaults to 127.0.0.1:3456 with no key", async () => {
    const address = await resolveProxyAddress({ env: { SWITCHYARD_HOME: home } });
    expect(address).toEqual({ url: "http://127.0.0.1:3456", source: "default" });
  });

  it("prefers flag over env over file", async () => {
    await writeFile(
      join(home, "config.json"),
      JSON.stringify({ port: 4000, host: "0.0.0.0", apiKey: "env:MY_KEY" }),
    );
    const env = { SWITCHYARD_HOME: home, MY_KEY: "k1" };
    expect(await resolveProxyAddress({ env })).toEqual({
      url: "http://127.0.0.1:4000",
      apiKey: "k1",
      source: "file",
    });
    const withEnv = { ...env, SWITCHYARD_PORT: "5000", SWITCHYARD_API_KEY: "k2" };
    expect(await resolveProxyAddress({ env: withEnv })).toMatchObject({
      url: "http://127.0.0.1:5000",
      apiKey: "k2",
      source: "env",
    });
    expect(
      await resolveProxyAddress({ env: withEnv, flags: { port: "6000", host: "::1" } }),
    ).toMatchObject({ url: "http://[::1]:6000", source: "flag" });
    expect(
      await resolveProxyAddress({ env: withEnv, flags: { url: "http://example.test:1/" } }),
    ).toMatchObject({ url: "http://example.test:1", source: "flag" });
  });

  it("lets a --port flag outrank SWITCHYARD_URL (flag > env)", async () => {
    const env = { SWITCHYARD_HOME: home, SWITCHYARD_URL: "http://127.0.0.1:7000" };
    expect(await resolveProxyAddress({ env })).toMatchObject({
      url: "http://127.0.0.1:7000",
      source: "env",
    });
    expect(await resolveProxyAddress({ env, flags: { port: "6000" } })).toMatchObject({
      url: "http://127.0.0.1:6000",
      source: "flag",
    });
  });

  it("names the bad value", async () => {
    await expect(
      resolveProxyAddress({ env: { SWITCHYARD_HOME: home, SWITCHYARD_PORT: "abc" } }),
    ).rejects.toThrow('SWITCHYARD_PORT must be an integer from 0 to 65535, got "abc"');
    await expect(
      resolveProxyAddress({
        env: { SWITCHYARD_HOME: home, SWITCHYARD_CONFIG: join(home, "x.json") },
      }),
    ).rejects.toMatchObject({ code: "config_not_found" });
  });

  it("never echoes a --url or SWITCHYARD_URL that is not a URL (it may be a key)", async () => {
    const LEAK = "sk-LEAKCANARY-openai-123456";
    const env = { SWITCHYARD_HOME: home };
    const byFlag = resolveProxyAddress({ env, flags: { url: LEAK } });
    await expect(byFlag).rejects.toThrow(
      "--url must be an http(s) URL, got a string of 27 characters that is not an http(s) URL",
    );
    await expect(byFlag).rejects.not.toThrow(/LEAKCANARY/);
    const byEnv = resolveProxyAddress({ env: { ...env, SWITCHYARD_URL: LEAK } });
    await expect(byEnv).rejects.toThrow(
      "SWITCHYARD_URL must be an http(s) URL, got a string of 27 characters that is not an http(s) URL",
    );
    await expect(byEnv).rejects.not.toThrow(/LEAKCANARY/);
    const masked = resolveProxyAddress({
      env,
      flags: { url: "ftp://LEAKCANARYuser55@127.0.0.1:1/?code=LEAKCANARY9" },
    });
    await expect(masked).rejects.toThrow(
      '--url must be an http(s) URL, got "ftp://[redacted]@127.0.0.1:1/?code=[redacted]"',
    );
    await expect(masked).rejects.not.toThrow(/LEAKCANARY/);
  });
});
