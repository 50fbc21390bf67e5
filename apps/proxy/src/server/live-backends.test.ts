import { describe, expect, it } from "vitest";
import { testConfig } from "../../test/helpers/config.js";
import type { BackendFactory } from "../backends/create-backends.js";
import type { Backend, BackendRequest, BackendResult } from "../backends/types.js";
import type { BackendConfig } from "../config/types.js";
import { createLiveBackends } from "./live-backends.js";

/** Backends whose requests finish when the test says, and that record being closed. */
function fakes() {
  const closed: string[] = [];
  const pending: Array<() => void> = [];
  let built = 0;
  const factory: BackendFactory = ({ name, config }) => {
    built += 1;
    const id = `${name}@${(config as { baseUrl?: string }).baseUrl}#${built}`;
    const backend: Backend = {
      name,
      type: config.type,
      handle: () =>
        new Promise<BackendResult>((resolve) => pending.push(() => resolve({ status: 200 }))),
      close: async () => {
        closed.push(id);
      },
    };
    return backend;
  };
  return { closed, pending, factory, built: () => built };
}

const openai = (baseUrl: string): BackendConfig => ({ type: "openai", baseUrl });
const config = (backends: Record<string, BackendConfig>) =>
  testConfig({ backends: { echo: { type: "echo" }, ...backends } });
const request = {} as BackendRequest;
const logger = { info: () => {}, warn: () => {}, error: () => {} };
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("createLiveBackends", () => {
  it("keeps an unchanged backend as the same object, with its state", () => {
    const f = fakes();
    const live = createLiveBackends({
      context: { version: "t", logger, home: "/nonexistent/switchyard-test-home" },
      factories: { openai: f.factory },
    });
    const first = live.prepare(config({ a: openai("http://a") }));
    first.commit();
    const again = live.prepare(config({ a: openai("http://a") }));
    expect(again.backends.get("a")).toBe(first.backends.get("a"));
    expect(again.changes).toEqual({ added: [], changed: [], removed: [], kept: ["echo", "a"] });
    expect(f.built()).toBe(1);
  });

  it("closes a replaced or removed backend only after its requests in flight finished", async () => {
    const f = fakes();
    const live = createLiveBackends({
      context: { version: "t", logger, home: "/nonexistent/switchyard-test-home" },
      factories: { openai: f.factory },
    });
    const first = live.prepare(config({ a: openai("http://a"), b: openai("http://b") }));
    first.commit();
    const inFlightA = first.backends.get("a")?.handle(request);
    const inFlightB = first.backends.get("b")?.handle(request);

    const next = live.prepare(config({ a: openai("http://a2") }));
    expect(next.changes).toMatchObject({ changed: ["a"], removed: ["b"], kept: ["echo"] });
    next.commit();
    await tick();
    expect(f.closed).toEqual([]);
    // The requests finish on the objects they started on, then those close.
    for (const finish of f.pending.splice(0)) finish();
    await expect(inFlightA).resolves.toEqual({ status: 200 });
    await expect(inFlightB).resolves.toEqual({ status: 200 });
    await tick();
    expect(f.closed.sort()).toEqual(["a@http://a#1", "b@http://b#2"]);
    expect(next.backends.get("a")).not.toBe(first.backends.get("a"));

    await live.closeAll();
    expect(f.closed).toContain("a@http://a2#3");
  });

  it("changes nothing when building the new set fails, and closes what it built", () => {
    const f = fakes();
    let fail = false;
    const factory: BackendFactory = (options) => {
      if (fail && options.name === "bad") throw new Error("cannot build");
      return f.factory(options);
    };
    const live = createLiveBackends({
      context: { version: "t", logger, home: "/nonexistent/switchyard-test-home" },
      factories: { openai: factory },
    });
    live.prepare(config({ a: openai("http://a") })).commit();
    fail = true;
    expect(() =>
      live.prepare(
        config({ a: openai("http://a"), fresh: openai("http://f"), bad: openai("http://x") }),
      ),
    ).toThrow("cannot build");
    // `a` still serves (nothing retired it); the half-built set is not kept.
    const again = live.prepare(config({ a: openai("http://a") }));
    expect(again.changes.kept).toContain("a");
  });

  it("discard drops a prepared set without touching the serving one", async () => {
    const f = fakes();
    const live = createLiveBackends({
      context: { version: "t", logger, home: "/nonexistent/switchyard-test-home" },
      factories: { openai: f.factory },
    });
    live.prepare(config({ a: openai("http://a") })).commit();
    const unused = live.prepare(config({ a: openai("http://a"), b: openai("http://b") }));
    unused.discard();
    await tick();
    expect(f.closed).toEqual(["b@http://b#2"]);
    expect(live.prepare(config({ a: openai("http://a") })).changes.removed).toEqual([]);
  });

  it("hands back the backend's own promise and counts rejected requests out too", async () => {
    const closed: string[] = [];
    const settle: Array<() => void> = [];
    let own: Promise<BackendResult> | undefined;
    const factory: BackendFactory = ({ name }) => ({
      name,
      type: "openai",
      handle: () => {
        own = new Promise<BackendResult>((_resolve, reject) =>
          settle.push(() => reject(new Error("upstream gone"))),
        );
        return own;
      },
      close: async () => {
        closed.push(name);
      },
    });
    const live = createLiveBackends({
      context: { version: "t", logger, home: "/nonexistent/switchyard-test-home" },
      factories: { openai: factory },
    });
    const first = live.prepare(config({ a: openai("http://a") }));
    first.commit();
    const inFlight = first.backends.get("a")?.handle(request);
    // No async wrapper per request: one promise and one suspended frame fewer.
    expect(inFlight).toBe(own);
    live.prepare(config({})).commit();
    await tick();
    expect(closed).toEqual([]);
    settle[0]?.();
    await expect(inFlight).rejects.toThrow("upstream gone");
    await tick();
    expect(closed).toEqual(["a"]);
  });
});
