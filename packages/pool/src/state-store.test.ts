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

  it("keeps LRU order when the newest key is bound again (no re-insert needed)", () => {
    const store = createMemoryStateStore({ maxBindings: 2 });
    store.setBinding("k1", "a");
    store.setBinding("k2", "b");
    store.setBinding("k2", "b");
    store.setBinding("k1", "a"); // k2 is now the least recently bound
    store.setBinding("k1", "a");
    store.setBinding("k3", "c");
    expect(store.getBinding("k2")).toBeUndefined();
    expect(store.getBinding("k1")).toBe("a");
    // Deleting the newest key and binding it again puts it back at the end.
    store.deleteBinding("k3");
    store.setBinding("k3", "c");
    store.setBinding("k4", "d");
    expect(store.getBinding("k1")).toBeUndefined();
    expect(store.getBinding("k3")).toBe("c");
  });

  it("refuses a maxBindings that would keep every binding or none", () => {
    for (const maxBindings of [Number.NaN, 0, -1, 1.5]) {
      expect(() => createMemoryStateStore({ maxBindings })).toThrow(
        expect.objectContaining({ code: "invalid-option" }),
      );
    }
  });
});
