import { describe, expect, it } from "vitest";
import { agentBody, anthropicCapture } from "../test/har-fixture.js";
import { CaptureError } from "./errors.js";
import type { HarEntry } from "./har.js";
import { createReplayMatcher } from "./matcher.js";

const entries = (...bodies: Record<string, unknown>[]): HarEntry[] =>
  bodies.flatMap((b, i) => {
    const e = anthropicCapture(b).log.entries;
    (e[0] as HarEntry).response.content.text = `answer ${i}`;
    return e;
  });

const ask = (body: unknown) => ({
  method: "POST",
  path: "/v1/messages?beta=true",
  body: JSON.stringify(body),
});

describe("createReplayMatcher", () => {
  const recorded = entries(
    agentBody(),
    agentBody({ messages: [{ role: "user", content: "again" }] }),
  );

  it("normalized: matches despite new session ids and metadata", () => {
    const m = createReplayMatcher({ entries: recorded });
    const hit = m.match(
      ask(agentBody({ metadata: { user_id: "other" }, model: "claude-sonnet-4-5" })),
    );
    expect(hit?.response.content.text).toBe("answer 0");
    const second = m.match(ask(agentBody({ messages: [{ role: "user", content: "again" }] })));
    expect(second?.response.content.text).toBe("answer 1");
    // Asked again, the same answer comes back.
    expect(m.match(ask(agentBody()))?.response.content.text).toBe("answer 0");
  });

  it("normalized: key order does not count (a tool serialising a hash map)", () => {
    const m = createReplayMatcher({
      entries: entries(agentBody({ metadata: undefined, client: { a: 1, b: 2 } })),
      strict: false,
    });
    const hit = m.match(ask(agentBody({ metadata: undefined, client: { b: 2, a: 1 } })));
    expect(hit?.response.content.text).toBe("answer 0");
    expect(m.match(ask(agentBody({ metadata: undefined, client: { b: 3, a: 1 } })))).toBe(
      undefined,
    );
  });

  it("normalized with project: compares only what the projection keeps", () => {
    const m = createReplayMatcher({
      entries: recorded,
      project: (body) => body.messages,
      strict: false,
    });
    const other = { model: "gpt-x", system: "another prompt", tools: [], max_tokens: 1 };
    expect(
      m.match(ask({ ...other, messages: [{ role: "user", content: "again" }] }))?.response.content
        .text,
    ).toBe("answer 1");
    expect(m.match(ask({ ...other, messages: [{ role: "user", content: "no" }] }))).toBe(undefined);
  });

  it("exact: a changed byte misses", () => {
    const m = createReplayMatcher({ entries: recorded, mode: "exact", strict: false });
    expect(m.match(ask(agentBody()))?.response.content.text).toBe("answer 0");
    expect(m.match(ask(agentBody({ metadata: { user_id: "other" } })))).toBeUndefined();
  });

  it("in-order: serves the next exchange whatever its body, then misses", () => {
    const m = createReplayMatcher({ entries: recorded, mode: "in-order" });
    expect(m.match(ask({ anything: 1 }))?.response.content.text).toBe("answer 0");
    expect(m.match(ask({ anything: 2 }))?.response.content.text).toBe("answer 1");
    expect(() => m.match(ask({}))).toThrow(/used up/);
  });

  it("strict: a miss names the closest candidate and the first difference", () => {
    const m = createReplayMatcher({ entries: recorded });
    let error: unknown;
    try {
      m.match(ask(agentBody({ messages: [{ role: "user", content: "agai" }] })));
    } catch (e) {
      error = e;
    }
    expect(CaptureError.isInstance(error) && error.code).toBe("replay_miss");
    expect((error as Error).message).toBe(
      'no recorded exchange matches POST /v1/messages; closest is entry #1: 1 difference(s), first at messages[0].content: recorded "again", got "agai"',
    );
    expect(() => m.match({ method: "POST", path: "/v1/chat/completions", body: "{}" })).toThrow(
      "no recorded exchange for POST /v1/chat/completions; the cassette has POST /v1/messages",
    );
  });
});
