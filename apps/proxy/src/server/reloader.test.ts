import { describe, expect, it } from "vitest";
import { testConfig } from "../../test/helpers/config.js";
import { ConfigError } from "../config/errors.js";
import type { ResolvedConfig } from "../config/types.js";
import { createReloader, type PreparedSwap } from "./reloader.js";

const changes = { added: ["b"], changed: [], removed: [], kept: ["echo"] };

function rig(loads: Array<ResolvedConfig | Error>) {
  const logs: string[] = [];
  const committed: ResolvedConfig[] = [];
  const reloader = createReloader({
    initial: testConfig(),
    load: async () => {
      const next = loads.shift();
      if (next instanceof Error) throw next;
      if (next === undefined) throw new Error("no more configs");
      return next;
    },
    prepare: (config): PreparedSwap => ({
      changes,
      commit: () => committed.push(config),
      discard: () => {},
    }),
    logger: {
      info: (m) => logs.push(`info ${m}`),
      warn: (m) => logs.push(`warn ${m}`),
      error: (m) => logs.push(`error ${m}`),
    },
    now: () => Date.UTC(2026, 0, 1),
  });
  return { reloader, logs, committed };
}

describe("createReloader", () => {
  it("swaps in a valid config and says what changed and what needs a restart", async () => {
    const next = testConfig({ port: 9999, routes: [{ match: "b-*", backend: "b" }] });
    const { reloader, committed, logs } = rig([next]);
    const result = await reloader.reload("admin");
    expect(committed).toEqual([next]);
    expect(result).toMatchObject({
      ok: true,
      trigger: "admin",
      at: "2026-01-01T00:00:00.000Z",
      routesChanged: true,
      restartRequired: ["port"],
      backends: changes,
    });
    expect(result.message).toBe(
      "backends: added b; kept echo; routes or default backend changed; port changed: restart the proxy to apply",
    );
    expect(reloader.last()).toBe(result);
    expect(logs.some((l) => l.startsWith("warn config changes to port"))).toBe(true);
  });

  it("keeps the old config on a bad file, logs why loudly, and never quotes a foreign error", async () => {
    const bad = new ConfigError({
      code: "invalid_config",
      message: "/h/config.json: routes[0].backend must name a backend",
      file: "/h/config.json",
    });
    const { reloader, committed, logs } = rig([bad, new Error("token sk-secret-123 leaked")]);
    const first = await reloader.reload("watch");
    expect(first).toMatchObject({ ok: false, message: bad.message });
    expect(logs).toContain(
      "error config NOT reloaded, still serving the previous one: /h/config.json: routes[0].backend must name a backend",
    );
    const second = await reloader.reload("watch");
    expect(second.message).toBe("building the new config failed (Error)");
    expect(JSON.stringify([second, logs])).not.toContain("sk-secret");
    expect(committed).toEqual([]);
  });

  it("runs one reload at a time, in order", async () => {
    const a = testConfig({ routes: [{ match: "a", backend: "echo" }] });
    const b = testConfig({ routes: [{ match: "b", backend: "echo" }] });
    const { reloader, committed } = rig([a, b]);
    const [first, second] = await Promise.all([reloader.reload("watch"), reloader.reload("admin")]);
    expect(committed).toEqual([a, b]);
    expect([first.trigger, second.trigger]).toEqual(["watch", "admin"]);
    expect(second.routesChanged).toBe(true);
  });
});
