import { describe, expect, it } from "vitest";
import { isLocalBackend, isLocalHost } from "./local-backend.js";

describe("isLocalHost", () => {
  it.each([
    "localhost",
    "ollama.localhost",
    "gpu-box.local",
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.5",
    "172.16.0.1",
    "172.31.255.1",
    "192.168.1.20",
    "[::1]",
    "::ffff:127.0.0.1",
    "fd12:3456::1",
    "fe80::1",
  ])("%s is local", (host) => expect(isLocalHost(host)).toBe(true));

  it.each([
    "api.openai.com",
    "8.8.8.8",
    "172.32.0.1",
    "192.169.0.1",
    "2001:db8::1",
    "localhost.example.com",
  ])("%s is not local", (host) => expect(isLocalHost(host)).toBe(false));
});

describe("isLocalBackend", () => {
  it("echo and replay are local", () => {
    expect(isLocalBackend({ type: "echo" })).toBe(true);
    expect(isLocalBackend({ type: "replay" } as never)).toBe(true);
  });

  it("an openai backend is local only when every upstream is", () => {
    expect(isLocalBackend({ type: "openai", baseUrl: "http://127.0.0.1:11434/v1" })).toBe(true);
    expect(isLocalBackend({ type: "openai", baseUrl: "https://api.groq.com/openai/v1" })).toBe(
      false,
    );
    expect(
      isLocalBackend({
        type: "openai",
        targets: [
          { baseUrl: "http://localhost:8000/v1" },
          { baseUrl: "https://api.openai.com/v1" },
        ],
      }),
    ).toBe(false);
    expect(isLocalBackend({ type: "openai" })).toBe(false);
  });

  it("anthropic and claude-code backends are billed", () => {
    expect(isLocalBackend({ type: "anthropic", baseUrl: "http://127.0.0.1:9/" })).toBe(false);
    expect(isLocalBackend({ type: "claude-code" })).toBe(false);
  });
});
