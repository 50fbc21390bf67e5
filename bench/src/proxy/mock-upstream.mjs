// The bench's mock upstream (its own process): fixed OpenAI Chat Completions and Anthropic
// Messages answers, JSON or SSE, no delay. A model name ending in `-N` asks for N text deltas.
import { createServer } from "node:http";

const text = "The quick brown fox jumps over the lazy dog.";
const oaJson = JSON.stringify({
  id: "chatcmpl-b",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
  usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 },
});
const anJson = JSON.stringify({
  id: "msg_b",
  type: "message",
  role: "assistant",
  model: "m",
  content: [{ type: "text", text }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 20, output_tokens: 10 },
});

const chunk = (delta, finish) =>
  `data: ${JSON.stringify({ id: "chatcmpl-b", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** The OpenAI stream with `n` content deltas, one string per event. */
function openaiEvents(n) {
  const out = [chunk({ role: "assistant", content: "" }, null)];
  for (let i = 0; i < n; i++) out.push(chunk({ content: `word${i} ` }, null));
  const usage = { prompt_tokens: 20, completion_tokens: n, total_tokens: 20 + n };
  out.push(
    chunk({}, "stop"),
    `data: ${JSON.stringify({ id: "chatcmpl-b", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage })}\n\n`,
    "data: [DONE]\n\n",
  );
  return out;
}

const ev = (o) => `event: ${o.type}\ndata: ${JSON.stringify(o)}\n\n`;

/** The Anthropic stream with `n` text deltas, one string per event. */
function anthropicEvents(n) {
  const message = {
    id: "msg_b",
    type: "message",
    role: "assistant",
    model: "m",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 20, output_tokens: 1 },
  };
  const out = [
    ev({ type: "message_start", message }),
    ev({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
  ];
  for (let i = 0; i < n; i++) {
    out.push(
      ev({
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: `word${i} ` },
      }),
    );
  }
  out.push(
    ev({ type: "content_block_stop", index: 0 }),
    ev({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: n },
    }),
    ev({ type: "message_stop" }),
  );
  return out;
}

const streams = new Map();
function events(anthropic, n) {
  const key = `${anthropic}:${n}`;
  let out = streams.get(key);
  if (out === undefined) {
    out = anthropic ? anthropicEvents(n) : openaiEvents(n);
    streams.set(key, out);
  }
  return out;
}

const server = createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    const anthropic = req.url.startsWith("/v1/messages");
    if (/"stream"\s*:\s*true/.test(body)) {
      const n = Number(/"model"\s*:\s*"[^"]*-(\d+)"/.exec(body)?.[1] ?? 9);
      res.writeHead(200, { "content-type": "text/event-stream" });
      // One write per event, as a real upstream sends them.
      for (const e of events(anthropic, n)) res.write(e);
      res.end();
    } else {
      const out = anthropic ? anJson : oaJson;
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(out),
      });
      res.end(out);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`PORT ${server.address().port}`));

// Exit on SIGTERM through process.exit, so a `--cpu-prof` profile is written.
process.on("SIGTERM", () => process.exit(0));
