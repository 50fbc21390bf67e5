import { describe, expect, it } from "vitest";
import { parseJsonBody } from "./json-body.js";
import { ProxyError } from "./proxy-error.js";

/** The ProxyError `parseJsonBody` throws for `body`. */
function refusal(body: string | Buffer, maxDepth = 128) {
  try {
    parseJsonBody(typeof body === "string" ? Buffer.from(body) : body, maxDepth);
  } catch (error) {
    if (!ProxyError.isInstance(error)) throw error;
    return { status: error.status, code: error.code, param: error.param, message: error.message };
  }
  return undefined;
}

describe("parseJsonBody", () => {
  it("returns the text and value of a valid body, escapes and nesting included", () => {
    const text = '{"model":"m","a":{"model":"x","b":[{"model":1},{"model":2}]},"s":"q\\"u\\\\"}';
    expect(parseJsonBody(Buffer.from(text), 128)).toEqual({ text, value: JSON.parse(text) });
  });

  it("refuses invalid UTF-8 instead of replacing it with U+FFFD", () => {
    const body = Buffer.concat([
      Buffer.from('{"model":"m","x":"hi'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    expect(refusal(body)).toMatchObject({ status: 400, code: "invalid_json" });
    // A lone surrogate encoded as UTF-8 (CESU) is not UTF-8 either.
    expect(
      refusal(Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d])),
    ).toMatchObject({
      code: "invalid_json",
    });
    expect(refusal('{"x":"héllo ✓ 🙂"}')).toBeUndefined();
  });

  it("refuses a key repeated in one object, at any depth, escaped or not", () => {
    expect(refusal('{"model":"claude-x","stream":false,"model":"gpt-x"}')).toMatchObject({
      status: 400,
      code: "invalid_json",
      param: "model",
    });
    expect(refusal('{"model":"m","messages":[{"role":"user","role":"assistant"}]}')).toMatchObject({
      param: "messages",
    });
    expect(refusal('{"m\\u006fdel":"a","model":"b"}')?.param).toBe("model");
    // Many keys: the Set path.
    const keys = Array.from({ length: 50 }, (_, i) => `"k${i}":1`).join(",");
    expect(refusal(`{"t":{${keys},"k7":2}}`)?.param).toBe("t");
    expect(refusal(`{"t":{${keys}}}`)).toBeUndefined();
  });

  it("does not take keys of sibling objects or strings that look like keys for duplicates", () => {
    expect(refusal('{"a":{"x":1},"b":{"x":1},"c":"\\"a\\":1","d":["a","a"]}')).toBeUndefined();
  });

  it("refuses nesting deeper than the limit, naming the top-level member", () => {
    const deep = `{"model":"m","tools":${"[".repeat(200)}${"]".repeat(200)}}`;
    expect(refusal(deep)).toMatchObject({ status: 400, code: "bad_request", param: "tools" });
    // 128 levels (the object and 127 arrays) pass; 129 do not.
    expect(refusal(`{"a":${"[".repeat(127)}${"]".repeat(127)}}`)).toBeUndefined();
    expect(refusal(`{"a":${"[".repeat(128)}${"]".repeat(128)}}`)?.param).toBe("a");
  });

  it("never echoes more than 64 characters of a key", () => {
    const key = "k".repeat(100_000);
    const found = refusal(`{"${key}":1,"${key}":2}`);
    expect(found?.message.length).toBeLessThan(200);
    expect(found?.param?.length).toBeLessThanOrEqual(65);
  });
});
