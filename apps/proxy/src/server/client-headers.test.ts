import { describe, expect, it } from "vitest";
import { sanitizeClientHeaders } from "./client-headers.js";

describe("sanitizeClientHeaders", () => {
  it("drops every credential-like and hop-by-hop header, keeps the rest", () => {
    const out = sanitizeClientHeaders({
      authorization: "Bearer a",
      "x-api-key": "b",
      cookie: "c=1",
      "proxy-authorization": "d",
      "x-goog-api-key": "e",
      "anthropic-auth-token": "f",
      "x-session-token": "g",
      host: "localhost:1",
      connection: "keep-alive",
      "content-length": "10",
      "anthropic-version": "2023-06-01",
      "anthropic-beta": "a,b",
      "user-agent": "tool/1",
      "x-stainless-lang": "js",
      "x-multi": ["a", "b"],
    });
    expect(out).toEqual({
      "anthropic-version": "2023-06-01",
      "anthropic-beta": "a,b",
      "user-agent": "tool/1",
      "x-stainless-lang": "js",
      "x-multi": "a, b",
    });
  });
});
