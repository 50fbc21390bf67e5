import { describe, expect, it, vi } from "vitest";
import { defaultResponseAccessor as accessor, discardResponse } from "./response-like.js";

describe("defaultResponseAccessor", () => {
  it("reads a Fetch Response", () => {
    const response = new Response("x", { status: 429, headers: { "Retry-After": "3" } });
    expect(accessor.status(response)).toBe(429);
    expect(accessor.headers(response)("retry-after")).toBe("3");
    expect(accessor.headers(response)("missing")).toBeUndefined();
  });

  it("reads undici / Node results with statusCode and plain headers, any case, arrays joined", () => {
    const response = {
      statusCode: 503,
      headers: { "Retry-After": "4", "x-a": ["1", "2"], "x-n": 5 },
    };
    expect(accessor.status(response)).toBe(503);
    const header = accessor.headers(response);
    expect(header("retry-after")).toBe("4");
    expect(header("x-a")).toBe("1, 2");
    expect(header("x-n")).toBe("5");
  });

  it("returns NaN status and no headers for junk", () => {
    expect(accessor.status(null)).toBeNaN();
    expect(accessor.status({ status: "200" })).toBeNaN();
    expect(accessor.headers({ headers: "nope" })("a")).toBeUndefined();
    expect(accessor.headers(undefined)("a")).toBeUndefined();
  });
});

describe("discardResponse", () => {
  it("cancels a Web stream body so the connection is released", async () => {
    let cancelled = false;
    const body = new ReadableStream({
      cancel() {
        cancelled = true;
      },
    });
    discardResponse(new Response(body));
    await vi.waitFor(() => expect(cancelled).toBe(true));
  });

  it("dumps an undici body, destroys a Node stream", () => {
    const dump = vi.fn(async () => {});
    discardResponse({ body: { dump } });
    expect(dump).toHaveBeenCalledOnce();
    const destroy = vi.fn();
    discardResponse({ body: { destroy } });
    expect(destroy).toHaveBeenCalledOnce();
  });

  it("never throws: locked bodies, rejected cancels, missing bodies", async () => {
    const stream = new ReadableStream();
    stream.getReader(); // locked: cancel() rejects
    expect(() => discardResponse({ body: stream })).not.toThrow();
    expect(() =>
      discardResponse({
        body: {
          cancel: () => {
            throw new Error("x");
          },
        },
      }),
    ).not.toThrow();
    expect(() => discardResponse(new Response(null, { status: 204 }))).not.toThrow();
    expect(() => discardResponse(null)).not.toThrow();
  });
});
