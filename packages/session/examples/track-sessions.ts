import { createSessionRegistry, deriveSessionKey } from "@switchyard/session";

/** Keys two Anthropic requests of one conversation and counts their usage. */
export function trackSessions() {
  const sessions = createSessionRegistry({ idleTimeoutMs: 15 * 60_000, maxSessions: 1_000 });

  const first = {
    system: "You are a travel agent.",
    messages: [{ role: "user", content: "Plan a trip to Rome" }],
  };
  const followUp = {
    ...first,
    messages: [
      ...first.messages,
      { role: "assistant", content: "Sure!" },
      { role: "user", content: "In May" },
    ],
  };

  for (const body of [first, followUp]) {
    const { key, source } = deriveSessionKey({ headers: {}, body, dialect: "anthropic" });
    sessions.record(key, {
      inputTokens: 120,
      outputTokens: 40,
      backend: "anthropic",
      target: "eu-1",
    });
    console.log(source, key); // content-hash 3f2a… (same key both times)
  }

  const saved = JSON.stringify(sessions.export()); // persist anywhere
  const restored = createSessionRegistry();
  restored.import(JSON.parse(saved));
  return restored.snapshot();
}
