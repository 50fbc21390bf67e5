import { describe, expect, it } from "vitest";
import { createEmitter } from "./emitter.js";

describe("createEmitter", () => {
  it("delivers typed payloads, unsubscribes, and reports listeners", () => {
    const emitter = createEmitter<{ ping: number; pong: string }>();
    const seen: number[] = [];
    expect(emitter.has("ping")).toBe(false);
    const off = emitter.on("ping", (n) => seen.push(n));
    emitter.on("ping", (n) => seen.push(n * 10));
    expect(emitter.has("ping")).toBe(true);
    emitter.emit("ping", 1);
    off();
    emitter.emit("ping", 2);
    emitter.emit("pong", "ignored");
    expect(seen).toEqual([1, 10, 20]);
  });

  it("removes the event when its last listener goes, and off on an unknown event is a no-op", () => {
    const emitter = createEmitter<{ ping: number }>();
    const listener = () => {};
    emitter.off("ping", listener);
    emitter.on("ping", listener);
    emitter.off("ping", listener);
    expect(emitter.has("ping")).toBe(false);
  });

  it("swallows listener errors so later listeners still run", () => {
    const emitter = createEmitter<{ ping: number }>();
    const seen: number[] = [];
    emitter.on("ping", () => {
      throw new Error("observer bug");
    });
    emitter.on("ping", (n) => seen.push(n));
    expect(() => emitter.emit("ping", 7)).not.toThrow();
    expect(seen).toEqual([7]);
  });
});
