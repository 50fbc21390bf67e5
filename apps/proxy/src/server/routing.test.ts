import { describe, expect, it } from "vitest";
import { testConfig } from "../../test/helpers/config.js";
import { ProxyError } from "./proxy-error.js";
import { createRouter, globToRegExp } from "./routing.js";

const config = testConfig({
  backends: {
    echo: { type: "echo" },
    groq: { type: "openai", baseUrl: "http://x" },
    ant: { type: "anthropic", baseUrl: "http://y" },
  },
  routes: [
    { match: "claude-*", backend: "ant" },
    { match: "fast", backend: "groq", model: "llama-3.1-8b" },
    { match: "gone-*", backend: "missing" },
  ],
  defaultBackend: "groq",
});
const router = createRouter(config);

describe("globToRegExp", () => {
  it("matches * and ? and escapes everything else", () => {
    expect(globToRegExp("claude-*").test("claude-sonnet-4")).toBe(true);
    expect(globToRegExp("gpt-?o").test("gpt-4o")).toBe(true);
    expect(globToRegExp("gpt-?o").test("gpt-40o")).toBe(false);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
    expect(globToRegExp("a(b)").test("a(b)")).toBe(true);
  });
});

describe("createRouter", () => {
  it("prefers a backend prefix and strips it", () => {
    expect(router.resolve("ant:claude-x")).toEqual({
      backend: "ant",
      model: "claude-x",
      reason: "prefix",
    });
    expect(router.resolve("echo:anything:else")).toEqual({
      backend: "echo",
      model: "anything:else",
      reason: "prefix",
    });
  });

  it("does not treat an unknown prefix as a backend (e.g. ollama tags)", () => {
    expect(router.resolve("llama3:8b")).toEqual({
      backend: "groq",
      model: "llama3:8b",
      reason: "default",
    });
  });

  it("uses the first matching route, with its rewrite", () => {
    expect(router.resolve("claude-sonnet")).toEqual({
      backend: "ant",
      model: "claude-sonnet",
      reason: "route:claude-*",
    });
    expect(router.resolve("fast")).toEqual({
      backend: "groq",
      model: "llama-3.1-8b",
      reason: "route:fast",
    });
  });

  it("names the model and the configuration when a route points at a missing backend", () => {
    try {
      router.resolve("gone-1");
      expect.unreachable();
    } catch (error) {
      expect(ProxyError.isInstance(error) && error.code).toBe("unknown_backend");
      expect((error as Error).message).toContain('"gone-1"');
      expect((error as Error).message).toContain("ant, echo, groq");
    }
  });

  it("answers a model nothing claims with a non-retryable 404 naming the routes", () => {
    const bare = createRouter(
      testConfig({
        backends: { echo: { type: "echo" }, ant: { type: "anthropic", baseUrl: "http://y" } },
        routes: [{ match: "claude-*", backend: "ant" }],
      }),
    );
    try {
      bare.resolve("gpt-4o");
      expect.unreachable();
    } catch (error) {
      expect(ProxyError.isInstance(error) && error.code).toBe("model_not_found");
      expect((error as ProxyError).status).toBe(404);
      expect((error as ProxyError).isRetryable).toBe(false);
      expect((error as Error).message).toContain('no backend serves model "gpt-4o"');
      expect((error as Error).message).toContain("routes: claude-* -> ant");
      expect((error as Error).message).toContain('"<backend>:gpt-4o"');
    }
  });
});

describe("route fallback", () => {
  const withFallback = testConfig({
    backends: {
      echo: { type: "echo" },
      claude: { type: "claude-code" },
      ant: { type: "anthropic", baseUrl: "http://y" },
    },
    routes: [{ match: "claude-*", backend: "claude", fallback: "ant" }],
  });
  const state = { prefer: true, reason: "fresh snapshot with headroom" };
  const routerWith = createRouter(withFallback, {
    availability: (name) => (name === "claude" ? state : undefined),
  });

  it("keeps the route's backend while it is preferred", () => {
    state.prefer = true;
    expect(routerWith.resolve("claude-sonnet-4")).toEqual({
      backend: "claude",
      model: "claude-sonnet-4",
      reason: "route:claude-*",
    });
  });

  it("falls back, saying why, when the backend asks to be avoided", () => {
    state.prefer = false;
    state.reason = "no quota snapshot: assume limited";
    expect(routerWith.resolve("claude-sonnet-4")).toEqual({
      backend: "ant",
      model: "claude-sonnet-4",
      reason: "route:claude-* fallback (claude: no quota snapshot: assume limited)",
    });
  });

  it("never falls back for an explicit prefix", () => {
    state.prefer = false;
    expect(routerWith.resolve("claude:opus").backend).toBe("claude");
  });

  it("ignores fallback when no availability is known", () => {
    expect(createRouter(withFallback).resolve("claude-x").backend).toBe("claude");
  });
});
