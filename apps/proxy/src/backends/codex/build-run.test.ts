import type { AnthropicMessagesRequest } from "@switchyard/openai-compat";
import { describe, expect, it } from "vitest";
import { fingerprintConversation } from "../claude-code/session-store.js";
import { CliBackendError } from "../cli-runner/cli-error.js";
import {
  BASE_ARGS,
  codexArgs,
  DEFAULT_INSTRUCTIONS,
  neutralizeCodexMentions,
  planCodexRun,
  requestedEffort,
} from "./build-run.js";

const request = (extra: Partial<AnthropicMessagesRequest> = {}): AnthropicMessagesRequest => ({
  model: "gpt-5",
  max_tokens: 100,
  messages: [{ role: "user", content: "hello" }],
  ...extra,
});

describe("neutralizeCodexMentions", () => {
  it("breaks $skill mentions and [$skill](path) links with an invisible word joiner", () => {
    expect(neutralizeCodexMentions("use $canary and [$canary](/x/SKILL.md)")).toBe(
      "use $\u2060canary and [$\u2060canary](/x/SKILL.md)",
    );
    // Prices and lone dollars are not mentions and stay as they are.
    expect(neutralizeCodexMentions("costs $ 5 or $")).toBe("costs $ 5 or $");
  });
});

describe("planCodexRun", () => {
  it("runs `exec` with the safety flags, the model and the caller's instructions", () => {
    const plan = planCodexRun(request({ system: "Be brief." }), { model: "gpt-5" });
    expect(plan.args.slice(0, 1)).toEqual(["exec"]);
    expect(plan.args).toEqual(expect.arrayContaining([...BASE_ARGS, "--model", "gpt-5"]));
    expect(plan.instructions).toBe("Be brief.");
    expect(plan.stdin).toBe("hello");
    expect(planCodexRun(request(), { model: "default" }).instructions).toBe(DEFAULT_INSTRUCTIONS);
    expect(planCodexRun(request(), { model: "default" }).args).not.toContain("--model");
    const effort = planCodexRun(request(), { model: "default", effort: "high" }).args;
    expect(effort.join(" ")).toContain('-c model_reasoning_effort="high"');
    expect(requestedEffort({ reasoning: { effort: "low" } })).toBe("low");
    expect(requestedEffort({ reasoning_effort: "minimal" })).toBe("minimal");
    expect(requestedEffort({ reasoning_effort: 'x" -c y' })).toBeUndefined();
  });

  it("forks a known thread with only the new turn; replays an unknown history as a transcript", () => {
    const history: AnthropicMessagesRequest["messages"] = [
      { role: "user", content: "first" },
      { role: "assistant", content: "answer one" },
      { role: "user", content: "second $skill" },
    ];
    const known = fingerprintConversation("", history.slice(0, 2));
    const forked = planCodexRun(request({ messages: history }), {
      model: "default",
      lookup: (fp) => (fp === known ? "thread-1" : undefined),
    });
    expect(forked.args.slice(0, 2)).toEqual(["exec", "fork"]);
    expect(forked.resumeSessionId).toBe("thread-1");
    expect(forked.stdin).toBe("second $\u2060skill");
    const args = codexArgs(forked, { instructionsFile: "/tmp/i.txt", mcpServers: ["docs", "a.b"] });
    expect(args.slice(-2)).toEqual(["thread-1", "-"]);
    expect(args).toEqual(
      expect.arrayContaining([
        'model_instructions_file="/tmp/i.txt"',
        "mcp_servers.docs.enabled=false",
        'mcp_servers."a.b".enabled=false',
      ]),
    );
    const replayed = planCodexRun(request({ messages: history }), { model: "default" });
    expect(replayed.args.slice(0, 2)).toEqual(["exec", "--json"]);
    expect(replayed.stdin).toContain("<conversation_history>");
    expect(replayed.stdin).toContain("answer one");
    expect(replayed.stdin.endsWith("second $\u2060skill")).toBe(true);
  });

  it("refuses client tools, images and an assistant turn at the end", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return CliBackendError.isInstance(error) ? error.code : "other";
      }
      return "none";
    };
    const tools = [{ name: "t", input_schema: { type: "object" as const } }];
    expect(code(() => planCodexRun(request({ tools }), { model: "x" }))).toBe("client_tools");
    const image = {
      role: "user" as const,
      content: [
        {
          type: "image" as const,
          source: { type: "base64" as const, media_type: "image/png" as const, data: "AA==" },
        },
      ],
    };
    expect(code(() => planCodexRun(request({ messages: [image] }), { model: "x" }))).toBe(
      "invalid_request",
    );
    const prefill = request({
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "Sure" },
      ],
    });
    expect(code(() => planCodexRun(prefill, { model: "x" }))).toBe("invalid_request");
  });
});
