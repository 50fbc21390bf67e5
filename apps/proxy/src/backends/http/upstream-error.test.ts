import { describe, expect, it } from "vitest";
import { errorToResponse } from "../../server/error-response.js";
import type { UpstreamResponse } from "./upstream.js";
import { redactMessage, upstreamErrorFrom } from "./upstream-error.js";

const KEY = "canary-backend-key-1f2e3d4c5b6a";

describe("redactMessage", () => {
  it("removes the backend's own keys and key-shaped tokens", () => {
    expect(redactMessage("bad key abcd1234efgh", ["abcd1234efgh"])).toBe("bad key [redacted]");
    expect(redactMessage("Incorrect API key provided: sk-proj-abcdef123456", [])).toBe(
      "Incorrect API key provided: [redacted]",
    );
    expect(redactMessage("plain message", [])).toBe("plain message");
  });

  it("caps very long messages", () => {
    expect(redactMessage("word ".repeat(500), []).length).toBeLessThanOrEqual(1001);
  });
});

function errorResponse(
  status: number,
  body: string,
  headers: Record<string, string> = {},
): UpstreamResponse {
  const stream = (async function* () {
    yield Buffer.from(body);
  })();
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: Object.assign(stream, {
      bytes: async () => Buffer.from(body),
      text: async () => body,
      destroy: () => {},
      dump: async () => {},
    }),
    mapError: (e) => e,
  };
}

describe("upstreamErrorFrom", () => {
  it.each(["openai", "anthropic"] as const)(
    "redacts type and code as well as the message (%s caller)",
    async (caller) => {
      const body = JSON.stringify({
        error: { message: `no ${KEY}`, type: `t-${KEY}`, code: "sk-live-0a1b2c3d4e5f", param: KEY },
      });
      const error = await upstreamErrorFrom({
        response: errorResponse(401, body),
        backend: "b",
        dialect: "openai",
        secrets: [KEY],
      });
      const out = JSON.stringify(errorToResponse(error, caller));
      expect(out).not.toContain(KEY);
      expect(out).not.toContain("sk-live-0a1b2c3d4e5f");
      expect(out).toContain("no [redacted]");
    },
  );

  it("passes on a retry-after only when it is delay-seconds or an HTTP date", async () => {
    const make = (value: string) =>
      upstreamErrorFrom({
        response: errorResponse(429, "{}", { "retry-after": value }),
        backend: "b",
        dialect: "openai",
        secrets: [KEY],
      });
    expect((await make("7")).retryAfter).toBe("7");
    expect((await make("Wed, 21 Oct 2026 07:28:00 GMT")).retryAfter).toBe(
      "Wed, 21 Oct 2026 07:28:00 GMT",
    );
    expect((await make(`7; key=${KEY}`)).retryAfter).toBeUndefined();
  });
});
