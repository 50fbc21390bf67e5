import { describe, expect, it } from "vitest";
import { errorToResponse } from "./error-response.js";
import { ProxyError } from "./proxy-error.js";

describe("errorToResponse", () => {
  it("masks unknown errors as a generic 500 in both dialects", () => {
    const secret = new Error("connection to https://key:sk-123@host failed");
    const a = errorToResponse(secret, "anthropic");
    const o = errorToResponse(secret, "openai");
    expect(a).toEqual({
      status: 500,
      headers: {},
      body: {
        type: "error",
        error: { type: "api_error", message: "internal error in switchyard" },
      },
    });
    expect(o.status).toBe(500);
    expect(JSON.stringify(o.body)).not.toContain("sk-123");
  });

  it("translates an upstream error across dialects and keeps retry-after", () => {
    const error = new ProxyError("upstream_error", "upstream x: slow down", {
      status: 429,
      retryAfter: "5",
      upstream: { dialect: "openai", type: "requests", code: "rate_limit_exceeded" },
    });
    expect(errorToResponse(error, "anthropic")).toEqual({
      status: 429,
      headers: { "retry-after": "5" },
      body: {
        type: "error",
        error: { type: "rate_limit_error", message: "upstream x: slow down" },
      },
    });
    const same = errorToResponse(error, "openai");
    expect(same.body).toEqual({
      error: {
        message: "upstream x: slow down",
        type: "requests",
        param: null,
        code: "rate_limit_exceeded",
      },
    });
  });

  it("gives our own errors their code in OpenAI form", () => {
    const r = errorToResponse(new ProxyError("payload_too_large", "too big"), "openai");
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ error: { code: "payload_too_large", message: "too big" } });
  });
});
