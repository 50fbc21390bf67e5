import { describe, expect, it } from "vitest";
import { InFlight, RequestSignal } from "./request-signal.js";

describe("RequestSignal", () => {
  it("runs each listener once, in order, and records the reason", () => {
    const signal = new RequestSignal();
    const calls: string[] = [];
    signal.addEventListener("abort", () => calls.push("a"));
    signal.addEventListener("abort", () => calls.push("b"));
    const reason = new Error("client closed");
    signal.abort(reason);
    signal.abort(new Error("again"));
    expect(calls).toEqual(["a", "b"]);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(() => signal.throwIfAborted()).toThrow(reason);
  });

  it("does not run a removed listener", () => {
    const signal = new RequestSignal();
    let called = false;
    const listener = () => {
      called = true;
    };
    signal.addEventListener("abort", listener);
    signal.removeEventListener("abort", listener);
    signal.abort("x");
    expect(called).toBe(false);
  });

  it("gives a standard AbortSignal that follows it, before or after the abort", () => {
    const before = new RequestSignal();
    const standard = before.standard;
    expect(standard).toBeInstanceOf(AbortSignal);
    expect(before.standard).toBe(standard);
    before.abort("gone");
    expect(standard.aborted).toBe(true);
    expect(standard.reason).toBe("gone");

    const after = new RequestSignal();
    after.abort("late");
    expect(after.standard.aborted).toBe(true);
    expect(after.standard.reason).toBe("late");
  });
});

describe("InFlight", () => {
  it("adds, removes from any position, and aborts what is left", () => {
    const list = new InFlight();
    const signals = [new RequestSignal(), new RequestSignal(), new RequestSignal()];
    for (const s of signals) list.add(s);
    list.add(signals[0] as RequestSignal);
    expect(list.size).toBe(3);
    list.delete(signals[0] as RequestSignal);
    list.delete(signals[0] as RequestSignal);
    expect(list.size).toBe(2);
    list.abortAll("shutdown");
    expect(signals.map((s) => s.aborted)).toEqual([false, true, true]);
    list.delete(signals[2] as RequestSignal);
    list.delete(signals[1] as RequestSignal);
    expect(list.size).toBe(0);
  });
});
