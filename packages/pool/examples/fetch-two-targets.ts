import { createPool, PoolError } from "@switchyard/pool";

/** Two OpenAI-compatible upstreams (say, two regions) behind one pool, called with `fetch`. */
export function createChatClient(urls: { primary: string; secondary: string }, apiKey: string) {
  const pool = createPool({
    targets: [
      { id: "primary", baseUrl: urls.primary },
      { id: "secondary", baseUrl: urls.secondary },
    ],
  });
  pool.on("failover", (e) => console.warn(`failover from ${e.from}: ${e.status ?? e.error}`));

  async function chat(sessionId: string, content: string) {
    try {
      const { response, targetId, failovers } = await pool.run(sessionId, (target, { signal }) =>
        fetch(`${target.baseUrl}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content }] }),
          signal,
        }),
      );
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      return { ok: true as const, targetId, failovers, text: body.choices[0]?.message.content };
    } catch (error) {
      if (PoolError.isInstance(error) && error.code === "exhausted") {
        // Every upstream is rate limited (429) or failing (503): say when to come back.
        return { ok: false as const, status: error.status, retryAfterMs: error.retryAfterMs };
      }
      throw error;
    }
  }

  return { chat, pool };
}
