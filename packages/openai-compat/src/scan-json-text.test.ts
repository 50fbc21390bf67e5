import { describe, expect, it } from "vitest";
import { scanJsonText as scanWithValue } from "./scan-json-text.js";

/** Scans `text` as the proxy does: after JSON.parse accepted it. */
const scanJsonText = (text: string, maxDepth: number) =>
  scanWithValue(text, JSON.parse(text), maxDepth);

describe("scanJsonText", () => {
  it("finds a key repeated in one object, at any depth, escaped or not", () => {
    expect(scanJsonText('{"model":"a","stream":false,"model":"b"}', 128)).toEqual({
      kind: "duplicate_key",
      param: "model",
      key: "model",
    });
    expect(scanJsonText('{"messages":[{"role":"user","role":"assistant"}]}', 128)).toEqual({
      kind: "duplicate_key",
      param: "messages",
      key: "role",
    });
    expect(scanJsonText('{"m\\u006fdel":"a","model":"b"}', 128)?.key).toBe("model");
    const keys = Array.from({ length: 50 }, (_, i) => `"k${i}":1`).join(",");
    expect(scanJsonText(`{"t":{${keys},"k7":2}}`, 128)?.key).toBe("k7");
    expect(scanJsonText(`{"t":{${keys}}}`, 128)).toBeUndefined();
  });

  it("ignores keys of sibling objects, quoted text that looks like a key, and arrays", () => {
    const text = '{"a":{"x":1},"b":{"x":1},"c":"\\"a\\":1","d":["a","a"],"e":"\\\\"}';
    expect(scanJsonText(text, 128)).toBeUndefined();
  });

  it("finds nesting deeper than the limit, naming the top-level member", () => {
    expect(scanJsonText(`{"a":${"[".repeat(127)}${"]".repeat(127)}}`, 128)).toBeUndefined();
    expect(scanJsonText(`{"a":${"[".repeat(128)}${"]".repeat(128)}}`, 128)).toEqual({
      kind: "too_deep",
      param: "a",
    });
  });

  it("scans 100 000 levels without recursion", () => {
    const text = `{"tools":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(scanJsonText(text, 128)).toEqual({ kind: "too_deep", param: "tools" });
  });
});
