import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ProxyError } from "./proxy-error.js";
import { readBody } from "./read-body.js";

/** A request-like stream with `headers`, fed the given chunks (then its end, or an error). */
function request(
  chunks: string[],
  headers: Record<string, string> = {},
  error?: Error,
): Readable & { headers: Record<string, string> } {
  const req = new Readable({ read() {} }) as Readable & { headers: Record<string, string> };
  req.headers = headers;
  setImmediate(() => {
    for (const chunk of chunks) req.push(Buffer.from(chunk));
    if (error) req.destroy(error);
    else req.push(null);
  });
  return req;
}

describe("readBody", () => {
  it("returns the body of one chunk or of several", async () => {
    expect((await readBody(request(["{}"]) as never, 100)).toString()).toBe("{}");
    const body = await readBody(request(['{"a"', ":1", "}"]) as never, 100);
    expect(body.toString()).toBe('{"a":1}');
    expect((await readBody(request([]) as never, 100)).length).toBe(0);
  });

  it("refuses a declared or an actual body over the cap, and a failed read", async () => {
    const declared = request(["x"], { "content-length": "101" });
    await expect(readBody(declared as never, 100)).rejects.toMatchObject({
      code: "payload_too_large",
    });
    const actual = request(["x".repeat(60), "y".repeat(60)]);
    await expect(readBody(actual as never, 100)).rejects.toMatchObject({
      code: "payload_too_large",
    });
    expect(actual.listenerCount("data")).toBe(0);
    const failed = request(["x"], {}, new Error("reset"));
    const error = await readBody(failed as never, 100).catch((e: unknown) => e);
    expect(ProxyError.isInstance(error) && error.code).toBe("bad_request");
  });

  it("adds the same listener functions to every request and removes them after", async () => {
    // No closures per request: the listeners are shared, the state sits on the request.
    const a = request(["{}"]);
    const b = request(["[]"]);
    const pa = readBody(a as never, 100);
    const pb = readBody(b as never, 100);
    for (const event of ["data", "end", "error"] as const) {
      expect(a.listeners(event)).toHaveLength(1);
      expect(a.listeners(event)[0]).toBe(b.listeners(event)[0]);
    }
    await Promise.all([pa, pb]);
    for (const event of ["data", "end", "error"] as const) expect(a.listenerCount(event)).toBe(0);
  });
});
