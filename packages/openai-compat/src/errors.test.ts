import { describe, expect, it } from "vitest";
import {
  anthropicErrorTypeForStatus,
  convertAnthropicErrorToOpenAI,
  convertOpenAIErrorToAnthropic,
  createAnthropicErrorBody,
  createOpenAIErrorBody,
  openAIErrorTypeForStatus,
  statusForAnthropicErrorType,
  TranslationError,
} from "./errors.js";

describe("TranslationError", () => {
  it("carries code, param, cause and a default status", () => {
    const cause = new Error("inner");
    const error = new TranslationError({
      code: "unsupported_parameter",
      message: "n > 1 is not supported",
      param: "n",
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("TranslationError");
    expect(error.code).toBe("unsupported_parameter");
    expect(error.param).toBe("n");
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(400);
    expect(new TranslationError({ code: "invalid_response", message: "x" }).status).toBe(502);
  });

  it("recognises instances by marker, also across copies of the class", () => {
    const foreign = { [Symbol.for("switchyard.openai-compat.error")]: true, code: "x" };
    expect(
      TranslationError.isInstance(new TranslationError({ code: "invalid_request", message: "" })),
    ).toBe(true);
    expect(TranslationError.isInstance(foreign)).toBe(true);
    expect(TranslationError.isInstance(new Error("plain"))).toBe(false);
    expect(TranslationError.isInstance(null)).toBe(false);
  });
});

describe("status mapping", () => {
  it.each([
    [400, "invalid_request_error"],
    [401, "authentication_error"],
    [402, "billing_error"],
    [403, "permission_error"],
    [404, "not_found_error"],
    [413, "request_too_large"],
    [429, "rate_limit_error"],
    [500, "api_error"],
    [529, "overloaded_error"],
    [418, "invalid_request_error"],
    [502, "api_error"],
  ])("Anthropic %i -> %s and back", (status, type) => {
    expect(anthropicErrorTypeForStatus(status)).toBe(type);
    if (status !== 418 && status !== 502) expect(statusForAnthropicErrorType(type)).toBe(status);
  });

  it.each([
    [400, "invalid_request_error", null],
    [401, "authentication_error", "invalid_api_key"],
    [403, "permission_error", "permission_denied"],
    [404, "not_found_error", "not_found"],
    [413, "invalid_request_error", "request_too_large"],
    [429, "rate_limit_error", "rate_limit_exceeded"],
    [500, "server_error", null],
    [503, "server_error", "overloaded"],
    [422, "invalid_request_error", null],
  ])("OpenAI %i -> %s/%s", (status, type, code) => {
    expect(openAIErrorTypeForStatus(status)).toEqual({ type, code });
  });
});

describe("error bodies", () => {
  it("builds an OpenAI body from a status, with overrides", () => {
    expect(createOpenAIErrorBody({ message: "slow down", status: 429 })).toEqual({
      error: {
        message: "slow down",
        type: "rate_limit_error",
        param: null,
        code: "rate_limit_exceeded",
      },
    });
    expect(
      createOpenAIErrorBody({
        message: "bad",
        status: 400,
        param: "n",
        code: "unsupported_parameter",
      }),
    ).toEqual({
      error: {
        message: "bad",
        type: "invalid_request_error",
        param: "n",
        code: "unsupported_parameter",
      },
    });
  });

  it("builds an Anthropic body from a status or a type", () => {
    expect(createAnthropicErrorBody({ message: "busy", status: 529 })).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "busy" },
    });
    expect(createAnthropicErrorBody({ message: "no", type: "permission_error" }).error.type).toBe(
      "permission_error",
    );
  });
});

describe("error conversion", () => {
  it("turns Anthropic 529 into OpenAI 503 server_error", () => {
    const out = convertAnthropicErrorToOpenAI(
      { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      529,
    );
    expect(out).toEqual({
      status: 503,
      body: {
        error: { message: "Overloaded", type: "server_error", param: null, code: "overloaded" },
      },
    });
  });

  it("derives the status from the Anthropic type when none is given", () => {
    const out = convertAnthropicErrorToOpenAI({
      type: "error",
      error: { type: "authentication_error", message: "invalid x-api-key" },
    });
    expect(out.status).toBe(401);
    expect(out.body.error.type).toBe("authentication_error");
  });

  it("turns OpenAI errors into Anthropic ones by status", () => {
    const body = {
      error: { message: "Rate limit", type: "requests", param: null, code: "rate_limit_exceeded" },
    };
    expect(convertOpenAIErrorToAnthropic(body, 429)).toEqual({
      status: 429,
      body: { type: "error", error: { type: "rate_limit_error", message: "Rate limit" } },
    });
    expect(
      convertOpenAIErrorToAnthropic(
        { error: { message: "down", type: "server_error", param: null, code: null } },
        503,
      ).status,
    ).toBe(529);
  });

  it("turns insufficient_quota into billing_error and survives a malformed body", () => {
    const quota = {
      error: {
        message: "quota",
        type: "insufficient_quota",
        param: null,
        code: "insufficient_quota",
      },
    };
    expect(convertOpenAIErrorToAnthropic(quota, 429)).toEqual({
      status: 402,
      body: { type: "error", error: { type: "billing_error", message: "quota" } },
    });
    const broken = convertOpenAIErrorToAnthropic({} as never, 500);
    expect(broken.body.error).toEqual({ type: "api_error", message: "upstream error 500" });
  });

  it("keeps a context-window overflow recognisable in the other API's words", () => {
    const openai = {
      error: {
        message:
          "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length of the messages.",
        type: "invalid_request_error",
        param: "messages",
        code: "context_length_exceeded",
      },
    };
    expect(convertOpenAIErrorToAnthropic(openai, 400)).toEqual({
      status: 400,
      body: {
        type: "error",
        error: {
          type: "invalid_request_error",
          message: `prompt is too long: 9000 tokens > 8192 maximum (${openai.error.message})`,
        },
      },
    });
    // A server that only says it in words (vLLM, Groq) and one that only sets the code.
    const vllm = { error: { message: "maximum context length is 4096 tokens", type: "x" } };
    expect(convertOpenAIErrorToAnthropic(vllm as never, 400).body.error.message).toBe(
      "prompt is too long (maximum context length is 4096 tokens)",
    );
    const coded = { error: { message: "too big", code: "context_length_exceeded" } };
    expect(convertOpenAIErrorToAnthropic(coded as never, 400).body.error.message).toBe(
      "prompt is too long (too big)",
    );
    // Other 400s are untouched.
    expect(
      convertOpenAIErrorToAnthropic({ error: { message: "bad tool" } } as never, 400).body.error
        .message,
    ).toBe("bad tool");

    const anthropic = {
      type: "error" as const,
      error: {
        type: "invalid_request_error" as const,
        message: "prompt is too long: 208656 tokens > 200000 maximum",
      },
    };
    expect(convertAnthropicErrorToOpenAI(anthropic, 400)).toEqual({
      status: 400,
      body: {
        error: {
          message:
            "This model's maximum context length is 200000 tokens. However, your messages resulted in 208656 tokens. (prompt is too long: 208656 tokens > 200000 maximum)",
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        },
      },
    });
  });
});
