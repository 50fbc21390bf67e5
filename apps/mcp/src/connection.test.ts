import { describe, expect, it } from "vitest";
import { resolveProxyConnection } from "./connection.js";
import { SwitchyardMcpError } from "./mcp-error.js";

function files(map: Record<string, string>) {
  return (path: string) => map[path];
}

const base = { homedir: () => "/home/u", readFile: files({}) };

describe("resolveProxyConnection", () => {
  it("defaults to 127.0.0.1:3456 with actions off and no key", () => {
    const c = resolveProxyConnection({ ...base, env: {} });
    expect(c.baseUrl).toBe("http://127.0.0.1:3456");
    expect(c.address).toBe("127.0.0.1:3456");
    expect(c.apiKey).toBeUndefined();
    expect(c.enableActions).toBe(false);
    expect(c.configPath).toBe("/home/u/.switchyard/config.json");
    expect(c.sources).toEqual({ host: "default", port: "default", enableActions: "default" });
  });

  it("reads port, host, apiKey and mcp.enableActions from $SWITCHYARD_HOME/config.json", () => {
    const c = resolveProxyConnection({
      homedir: () => "/nope",
      env: { SWITCHYARD_HOME: "/h" },
      readFile: files({
        "/h/config.json": JSON.stringify({
          port: 4100,
          host: "localhost",
          apiKey: "literal-key",
          mcp: { enableActions: true },
        }),
      }),
    });
    expect(c.baseUrl).toBe("http://localhost:4100");
    expect(c.apiKey).toBe("literal-key");
    expect(c.enableActions).toBe(true);
    expect(c.sources).toEqual({
      host: "file",
      port: "file",
      apiKey: "file",
      enableActions: "file",
    });
  });

  it("prefers $SWITCHYARD_CONFIG over the home config, and --config over both", () => {
    const readFile = files({
      "/h/config.json": '{"port": 1111}',
      "/c.json": '{"port": 2222}',
      "/flag.json": '{"port": 3333}',
    });
    const env = { SWITCHYARD_HOME: "/h", SWITCHYARD_CONFIG: "/c.json" };
    expect(resolveProxyConnection({ readFile, env }).port).toBe(2222);
    expect(resolveProxyConnection({ readFile, env, flags: { config: "/flag.json" } }).port).toBe(
      3333,
    );
  });

  it("fails when an explicitly named config file is missing, and expands ~ and relative paths", () => {
    const readFile = files({
      "/home/u/sy/c.json": '{"port": 4242}',
      "/work/rel.json": '{"port": 4343}',
    });
    const opts = { readFile, homedir: () => "/home/u", cwd: "/work" };
    expect(
      resolveProxyConnection({ ...opts, env: { SWITCHYARD_CONFIG: "~/sy/c.json" } }).port,
    ).toBe(4242);
    expect(resolveProxyConnection({ ...opts, env: {}, flags: { config: "rel.json" } }).port).toBe(
      4343,
    );
    expect(() =>
      resolveProxyConnection({ ...opts, env: { SWITCHYARD_CONFIG: "/nope.json" } }),
    ).toThrow("/nope.json: config file not found");
    // The default path may be absent: that is a fresh install.
    expect(resolveProxyConnection({ ...opts, env: {} }).port).toBe(3456);
  });

  it("resolves apiKey env:NAME from the environment and warns when it is unset", () => {
    const readFile = files({ "/h/config.json": '{"apiKey": "env:MY_KEY"}' });
    const set = resolveProxyConnection({ readFile, env: { SWITCHYARD_HOME: "/h", MY_KEY: "k1" } });
    expect(set.apiKey).toBe("k1");
    const unset = resolveProxyConnection({ readFile, env: { SWITCHYARD_HOME: "/h" } });
    expect(unset.apiKey).toBeUndefined();
    expect(unset.warnings).toEqual([expect.stringContaining("MY_KEY")]);
  });

  it("applies flag > env > file > default for host and port independently", () => {
    const readFile = files({ "/h/config.json": '{"port": 1000, "host": "filehost"}' });
    const env = { SWITCHYARD_HOME: "/h", SWITCHYARD_PORT: "2000" };
    const envOnly = resolveProxyConnection({ readFile, env });
    expect(envOnly.baseUrl).toBe("http://filehost:2000");
    expect(envOnly.sources).toMatchObject({ host: "file", port: "env" });
    const withFlag = resolveProxyConnection({ readFile, env, flags: { port: "3000" } });
    expect(withFlag.baseUrl).toBe("http://filehost:3000");
    const withHost = resolveProxyConnection({ readFile, env, flags: { host: "flaghost" } });
    expect(withHost.baseUrl).toBe("http://flaghost:2000");
  });

  it("takes a URL from --url or SWITCHYARD_URL over a host/port of the same level", () => {
    const env = { SWITCHYARD_URL: "https://proxy.example:8443/base/", SWITCHYARD_PORT: "9000" };
    const c = resolveProxyConnection({ ...base, env });
    expect(c.baseUrl).toBe("https://proxy.example:8443/base");
    const flagPort = resolveProxyConnection({ ...base, env, flags: { port: 9100 } });
    expect(flagPort.baseUrl).toBe("https://proxy.example:9100/base");
    const flagged = resolveProxyConnection({
      ...base,
      env,
      flags: { url: "http://10.1.2.3:7000" },
    });
    expect(flagged.baseUrl).toBe("http://10.1.2.3:7000");
    expect(flagged.sources).toMatchObject({ host: "flag", port: "flag" });
  });

  it("connects to loopback when the config binds a wildcard address, and brackets IPv6", () => {
    const wild = resolveProxyConnection({ ...base, env: { SWITCHYARD_HOST: "0.0.0.0" } });
    expect(wild.baseUrl).toBe("http://127.0.0.1:3456");
    const v6 = resolveProxyConnection({ ...base, env: { SWITCHYARD_HOST: "::" } });
    expect(v6.baseUrl).toBe("http://[::1]:3456");
    expect(v6.address).toBe("[::1]:3456");
  });

  it("takes SWITCHYARD_API_KEY over the config's apiKey", () => {
    const readFile = files({ "/h/config.json": '{"apiKey": "from-file"}' });
    const c = resolveProxyConnection({
      readFile,
      env: { SWITCHYARD_HOME: "/h", SWITCHYARD_API_KEY: "from-env" },
    });
    expect(c.apiKey).toBe("from-env");
    expect(c.sources.apiKey).toBe("env");
  });

  it("enables actions by flag, by env, or by config; env 0 beats the config", () => {
    const readFile = files({ "/h/config.json": '{"mcp": {"enableActions": true}}' });
    const env = { SWITCHYARD_HOME: "/h" };
    expect(resolveProxyConnection({ readFile, env }).enableActions).toBe(true);
    const off = resolveProxyConnection({
      readFile,
      env: { ...env, SWITCHYARD_MCP_ENABLE_ACTIONS: "0" },
    });
    expect(off.enableActions).toBe(false);
    const byEnv = resolveProxyConnection({ ...base, env: { SWITCHYARD_MCP_ENABLE_ACTIONS: "1" } });
    expect(byEnv.enableActions).toBe(true);
    const byFlag = resolveProxyConnection({ ...base, env: {}, flags: { enableActions: true } });
    expect(byFlag.sources.enableActions).toBe("flag");
  });

  it.each([
    [{ flags: { port: "abc" } }, "--port"],
    [{ flags: { port: 70000 } }, "--port"],
    [{ env: { SWITCHYARD_PORT: "-1" } }, "SWITCHYARD_PORT"],
    [{ flags: { url: "ftp://x" } }, "--url"],
    [{ flags: { url: "http://user:pw@x:1" } }, "credentials"],
    [{ env: { SWITCHYARD_MCP_ENABLE_ACTIONS: "maybe" } }, "SWITCHYARD_MCP_ENABLE_ACTIONS"],
  ])("rejects %j naming %s", (opts, named) => {
    const run = () => resolveProxyConnection({ ...base, env: {}, ...opts });
    expect(run).toThrow(SwitchyardMcpError);
    expect(run).toThrow(named);
  });

  it.each([
    ['{"port": "x"}', "`port`"],
    ['{"host": 5}', "`host`"],
    ['{"apiKey": 5}', "`apiKey`"],
    ['{"mcp": {"enableActions": "yes"}}', "`mcp.enableActions`"],
    ["{not json", "not valid JSON"],
    ["[]", "JSON object"],
  ])("names the bad config field in %s", (text, named) => {
    const readFile = files({ "/h/config.json": text });
    const run = () => resolveProxyConnection({ readFile, env: { SWITCHYARD_HOME: "/h" } });
    expect(run).toThrow("/h/config.json");
    expect(run).toThrow(named);
  });
});
