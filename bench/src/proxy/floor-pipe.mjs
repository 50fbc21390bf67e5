// The floor of a translating proxy (`pnpm bench proxy --modes default,floor`): the bare pipe
// (bare-pipe.mjs: node:http, an undici Pool, chunks piped) plus the least each bench path's
// translation needs, and nothing else: no validation, routing table, log, usage record,
// sessions, guard, ids, usage or error handling. Requests are rewritten by one JSON.parse and
// stringify; a JSON answer is parsed and rebuilt; a stream's text events are rewritten by one
// sticky RegExp and a template each, its other events replaced by fixed ones. Not a proxy
// anyone should use: it shows how much of a path's CPU ratio to the bare pipe any translation
// costs, so switchyard's own ratio can be read against it. Takes `switchyard proxy`'s
// `--port` and `--config` (routes `gpt-*` to the config's openai backend, `claude-*` to its
// anthropic one) and answers `GET /health`.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { Pool } from "undici";

const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const { backends } = JSON.parse(readFileSync(arg("--config"), "utf8"));
/** An upstream: its pool and the path prefix of its base URL (`/v1` for OpenAI). */
function upstream(type) {
  const url = new URL(Object.values(backends).find((b) => b.type === type).baseUrl);
  return {
    pool: new Pool(url.origin, { connections: 64 }),
    prefix: url.pathname.replace(/\/$/, ""),
  };
}
const openai = upstream("openai");
const anthropic = upstream("anthropic");

const ITEM = '"msg_00000000000000000000000000000000"';
const SHELL = `{"id":"resp_00000000000000000000000000000000","object":"response","created_at":1,"status":"in_progress","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"m","output":[],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":null,"store":false,"temperature":null,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":null,"usage":null,"metadata":{}}`;
const sse = (type, json) => `event: ${type}\ndata: ${json}\n\n`;
const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`;

/** Text events of each upstream: the literal of their text is group 1. */
const TEXT = {
  chat: new RegExp(
    String.raw`data: \{[^\n]*?"delta":\{"content":(${JSON_STRING})\},"finish_reason":null\}\]\}\n\n`,
    "y",
  ),
  messages: new RegExp(
    String.raw`event: content_block_delta\ndata: \{"type":"content_block_delta","index":0,"delta":\{"type":"text_delta","text":(${JSON_STRING})\}\}\n\n`,
    "y",
  ),
};
/** The upstream event that ends each upstream's stream. */
const LAST = { chat: "data: [DONE]", messages: "event: message_stop" };

/** Each client dialect's stream: its opening events, one text event, its closing events. */
const OUT = {
  messages: {
    start: () =>
      sse(
        "message_start",
        `{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}`,
      ) +
      sse(
        "content_block_start",
        `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
      ),
    text: (lit) =>
      sse(
        "content_block_delta",
        `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${lit}}}`,
      ),
    end: () =>
      sse("content_block_stop", `{"type":"content_block_stop","index":0}`) +
      sse(
        "message_delta",
        `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":0}}`,
      ) +
      sse("message_stop", `{"type":"message_stop"}`),
  },
  chat: {
    start: () =>
      `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`,
    text: (lit) =>
      `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":${lit}},"finish_reason":null}]}\n\n`,
    end: () =>
      `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`,
  },
  responses: {
    start: () =>
      sse(
        "response.created",
        `{"type":"response.created","response":${SHELL},"sequence_number":0}`,
      ) +
      sse(
        "response.in_progress",
        `{"type":"response.in_progress","response":${SHELL},"sequence_number":1}`,
      ) +
      sse(
        "response.output_item.added",
        `{"type":"response.output_item.added","output_index":0,"item":{"type":"message","id":${ITEM},"role":"assistant","status":"in_progress","content":[]},"sequence_number":2}`,
      ) +
      sse(
        "response.content_part.added",
        `{"type":"response.content_part.added","item_id":${ITEM},"output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[],"logprobs":[]},"sequence_number":3}`,
      ),
    text: (lit, s) => {
      s.texts.push(lit.slice(1, -1));
      return sse(
        "response.output_text.delta",
        `{"type":"response.output_text.delta","item_id":${ITEM},"output_index":0,"content_index":0,"delta":${lit},"logprobs":[],"sequence_number":${s.seq++}}`,
      );
    },
    // The closing events repeat the whole text, as the Responses API's do.
    end: (s) => {
      const text = `"${s.texts.join("")}"`;
      const part = `{"type":"output_text","text":${text},"annotations":[],"logprobs":[]}`;
      const item = `{"type":"message","id":${ITEM},"role":"assistant","status":"completed","content":[${part}]}`;
      const at = `"item_id":${ITEM},"output_index":0,"content_index":0`;
      return (
        sse(
          "response.output_text.done",
          `{"type":"response.output_text.done",${at},"text":${text},"logprobs":[],"sequence_number":${s.seq++}}`,
        ) +
        sse(
          "response.content_part.done",
          `{"type":"response.content_part.done",${at},"part":${part},"sequence_number":${s.seq++}}`,
        ) +
        sse(
          "response.output_item.done",
          `{"type":"response.output_item.done","output_index":0,"item":${item},"sequence_number":${s.seq++}}`,
        ) +
        sse(
          "response.completed",
          `{"type":"response.completed","response":${SHELL.replace('"in_progress"', '"completed"').replace('"output":[]', `"output":[${item}]`)},"sequence_number":${s.seq++}}`,
        )
      );
    },
  },
};

/** Rewrites the complete events of `state.rest + text`; keeps an unfinished one for later. */
function translateStream(state, text) {
  const s = state.rest + text;
  const { text: re } = state;
  let out = "";
  let i = 0;
  for (;;) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (m !== null) {
      out += state.out.text(m[1], state);
      i = re.lastIndex;
      continue;
    }
    const end = s.indexOf("\n\n", i);
    if (end < 0) break;
    if (!state.started) {
      state.started = true;
      out = state.out.start() + out;
    }
    if (s.startsWith(state.last, i)) out += state.out.end(state);
    i = end + 2;
  }
  state.rest = s.slice(i);
  return out;
}

/** A JSON answer of the upstream dialect as the client dialect's, from its text. */
function translateJson(from, to, body) {
  const v = JSON.parse(body);
  const text =
    from === "chat" ? v.choices[0].message.content : v.content.map((b) => b.text).join("");
  const usage = v.usage;
  if (to === "messages") {
    return JSON.stringify({
      id: v.id,
      type: "message",
      role: "assistant",
      model: v.model,
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens },
    });
  }
  if (to === "chat") {
    return JSON.stringify({
      id: v.id,
      object: "chat.completion",
      created: 1,
      model: v.model,
      choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: usage.input_tokens,
        completion_tokens: usage.output_tokens,
        total_tokens: usage.input_tokens + usage.output_tokens,
      },
    });
  }
  const shell = JSON.parse(SHELL);
  return JSON.stringify({
    ...shell,
    status: "completed",
    output: [
      {
        type: "message",
        id: JSON.parse(ITEM),
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text, annotations: [], logprobs: [] }],
      },
    ],
    usage: {
      input_tokens: usage.prompt_tokens ?? usage.input_tokens,
      output_tokens: usage.completion_tokens ?? usage.output_tokens,
    },
  });
}

const DIALECT = {
  "/v1/chat/completions": "chat",
  "/v1/messages": "messages",
  "/v1/responses": "responses",
};

const server = createServer(async (req, res) => {
  if (req.method === "GET" && req.url === "/health") return res.end("ok");
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const client = DIALECT[req.url];
  const body = JSON.parse(Buffer.concat(chunks).toString());
  const from = body.model.startsWith("claude") ? "messages" : "chat";
  const { pool, prefix } = from === "chat" ? openai : anthropic;
  // The request in the upstream's dialect: the bench's requests differ only in these keys.
  if (client === "responses") body.messages = [{ role: "user", content: body.input ?? "" }];
  if (from === "messages") body.max_tokens ??= 1024;
  const upstreamBody =
    client === from
      ? Buffer.concat(chunks)
      : JSON.stringify({
          model: body.model,
          max_tokens: body.max_tokens,
          stream: body.stream,
          messages: body.messages,
        });
  try {
    const up = await pool.request({
      // As switchyard reads base URLs: OpenAI's holds `/v1`, Anthropic's is the origin.
      path: from === "chat" ? `${prefix}/chat/completions` : `${prefix}/v1/messages`,
      method: "POST",
      body: upstreamBody,
      headers: {
        "content-type": "application/json",
        authorization: "Bearer bench",
        "anthropic-version": "2023-06-01",
      },
    });
    const stream = String(up.headers["content-type"]).startsWith("text/event-stream");
    res.writeHead(up.statusCode, { "content-type": up.headers["content-type"] });
    if (client === from) {
      for await (const c of up.body) res.write(c);
    } else if (!stream) {
      res.write(translateJson(from, client, await up.body.text()));
    } else {
      const state = {
        rest: "",
        started: false,
        seq: 4,
        texts: [],
        text: TEXT[from],
        last: LAST[from],
        out: OUT[client],
      };
      for await (const c of up.body) {
        const out = translateStream(state, c.toString());
        if (out.length > 0) res.write(out);
      }
    }
    res.end();
  } catch {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(arg("--port")), "127.0.0.1");

// Exit on SIGTERM through process.exit, so a `--cpu-prof` profile is written.
process.on("SIGTERM", () => process.exit(0));
