import { describe, expect, it } from "vitest";
import { explainRoute } from "./recent-requests-tool.js";

describe("explainRoute", () => {
  it("puts each routing decision of the proxy into words", () => {
    expect(explainRoute("prefix", "groq", "groq:llama")).toBe(
      'the model name "groq:llama" named backend "groq" explicitly (backend:model)',
    );
    expect(explainRoute("route:claude-*", "claude", "claude-sonnet")).toBe(
      '"claude-sonnet" matched route "claude-*" → claude',
    );
    expect(
      explainRoute(
        "route:claude-* fallback (claude: weekly quota used up)",
        "anthropic",
        "claude-sonnet",
      ),
    ).toBe(
      '"claude-sonnet" matched route "claude-*", but claude: weekly quota used up, so it fell back to anthropic',
    );
    expect(explainRoute("default", "groq", "x")).toBe(
      'no route matched "x", so it went to the default backend groq',
    );
    expect(explainRoute("none", undefined, undefined)).toContain("not routed");
    expect(explainRoute("admin", undefined, undefined)).toContain("admin");
  });
});
