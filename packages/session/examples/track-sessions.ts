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
    const derived = deriveSessionKey({ headers: {}, body, dialect: "anthropic" });
    if (derived === undefined) continue; // nothing in the request to recognise it by
    const { key, source } = derived;
    sessions.record(key, {
      inputTokens: 120,
      outputTokens: 40,
      backend: "anthropic",
      target: "eu-1",
    });
    console.log(source, key); // content-hash a8e7533e2943cbdd (same key both times)
  }

  const saved = JSON.stringify(sessions.export()); // persist anywhere
  const restored = createSessionRegistry();
  restored.import(JSON.parse(saved));
  return restored.snapshot();
}
