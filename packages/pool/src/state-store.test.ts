import { describe, expect, it } from "vitest";
import { createTargetState } from "./state.js";
import { createMemoryStateStore } from "./state-store.js";

describe("createMemoryStateStore", () => {
  it("stores target states by id", () => {
    const store = createMemoryStateStore();
    const state = createTargetState();
    expect(store.getTarget("a")).toBeUndefined();
    store.setTarget("a", state);
    expect(store.getTarget("a")).toBe(state);
  });

  it("keeps bindings, drops the least recently bound beyond maxBindings", () => {
    const store = createMemoryStateStore({ maxBindings: 2 });
    store.setBinding("k1", "a");
    store.setBinding("k2", "b");
    store.setBinding("k1", "c"); // refreshes k1
    store.setBinding("k3", "a");
    expect(store.getBinding("k1")).toBe("c");
    expect(store.getBinding("k2")).toBeUndefined();
    expect(store.bindingCount()).toBe(2);
    store.deleteBinding("k1");
    expect(store.getBinding("k1")).toBeUndefined();
    expect(store.bindingCount()).toBe(1);
  });
});
