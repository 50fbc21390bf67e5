import { TranslationError } from "@switchyard/openai-compat";
import { describe, expect, it } from "vitest";
import { errorToResponse, isClientRejection } from "./error-response.js";
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

  it("tells clients not to retry what cannot heal by itself, and only that", () => {
    const unavailable = new ProxyError("backend_unavailable", "set GROQ_API_KEY");
    for (const dialect of ["anthropic", "openai"] as const) {
      const response = errorToResponse(unavailable, dialect);
      expect(response.status).toBe(400);
      expect(response.headers["x-should-retry"]).toBe("false");
    }
    expect(errorToResponse(unavailable, "anthropic").body).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "set GROQ_API_KEY" },
    });
    const unrouted = errorToResponse(new ProxyError("model_not_found", "no route"), "openai");
    expect(unrouted.status).toBe(404);
    expect(unrouted.body).toMatchObject({ error: { code: "model_not_found", param: null } });
    // Transient failures keep the clients' own retry rules.
    for (const code of [
      "upstream_unreachable",
      "upstream_rate_limited",
      "shutting_down",
    ] as const) {
      expect(errorToResponse(new ProxyError(code, "x"), "openai").headers).not.toHaveProperty(
        "x-should-retry",
      );
    }
  });
});

describe("isClientRejection", () => {
  it("is true for a request the proxy refuses itself, never for an upstream's answer", () => {
    const request = new TranslationError({
      code: "unsupported_parameter",
      message: "n > 1",
      param: "n",
    });
    expect(isClientRejection(request)).toBe(true);
    expect(errorToResponse(request, "openai")).toEqual({
      status: 400,
      headers: { "x-should-retry": "false" },
      body: {
        error: { message: "n > 1", type: "invalid_request_error", param: "n", code: "bad_request" },
      },
    });
    expect(isClientRejection(new ProxyError("bad_request", "tools"))).toBe(true);
    // An answer the upstream sent that cannot be translated is not the caller's mistake.
    expect(
      isClientRejection(new TranslationError({ code: "invalid_response", message: "x" })),
    ).toBe(false);
    const upstream400 = new ProxyError("upstream_error", "bad", {
      status: 400,
      upstream: { dialect: "openai" },
    });
    expect(isClientRejection(upstream400)).toBe(false);
    expect(isClientRejection(new Error("boom"))).toBe(false);
  });
});
