import { handleChatCompletionsViaAnthropic } from "../anthropic/chat-completions.js";
import { handleResponsesViaAnthropic } from "../anthropic/responses.js";
import type { PooledResponse } from "../http/target-pool.js";
import { handleMessagesViaOpenAI } from "../openai/messages.js";
import { handleResponsesViaChat } from "../openai/responses.js";
import {
  handleChatViaResponses,
  handleMessagesViaResponses,
} from "../openai/responses-upstream.js";
import { countTokensViaEstimate, isTokenCount } from "../token-count.js";
import type { BackendRequest, BackendResult, Endpoint } from "../types.js";

/** The API paths a cassette can hold answers for. */
export type RecordedPath = "/v1/messages" | "/v1/chat/completions" | "/v1/responses";

/** Sends a request body, already in the cassette's dialect, to its recorded answer. */
export type ReplaySend = (
  request: BackendRequest,
  path: RecordedPath,
  body: string,
) => Promise<PooledResponse>;

/** For each endpoint a client calls, the recorded dialects that can answer it, best first. */
const ANSWERED_BY: Record<Endpoint, RecordedPath[]> = {
  messages: ["/v1/chat/completions", "/v1/responses"],
  count_tokens: [],
  chat_completions: ["/v1/messages", "/v1/responses"],
  responses: ["/v1/messages", "/v1/chat/completions"],
  responses_input_tokens: [],
};

/**
 * Serves a request from a cassette recorded in another dialect, through the same translating
 * handlers the `anthropic` and `openai` backends use (request translated into the recorded
 * dialect, recorded answer translated back, streams event by event). Undefined when the
 * cassette holds no dialect that can answer (the caller reports the miss);
 * token counts are estimated locally.
 */
export function serveTranslated(options: {
  request: BackendRequest;
  name: string;
  recorded: ReadonlySet<string>;
  send: ReplaySend;
}): Promise<BackendResult> | undefined {
  const { request, name, send } = options;
  if (isTokenCount(request.endpoint)) return Promise.resolve(countTokensViaEstimate(request));
  const via = ANSWERED_BY[request.endpoint].find((path) => options.recorded.has(path));
  if (via === undefined) return undefined;
  const secrets: string[] = [];
  const anthropic = {
    name,
    secrets,
    send: (r: BackendRequest, _path: string, body: string) => send(r, "/v1/messages", body),
  };
  const chat = {
    name,
    secrets,
    maxTokensField: "max_tokens" as const,
    send: (r: BackendRequest, body: string) => send(r, "/v1/chat/completions", body),
  };
  const responses = {
    name,
    secrets,
    sendResponses: (r: BackendRequest, body: string) => send(r, "/v1/responses", body),
  };
  switch (request.endpoint) {
    case "chat_completions":
      return via === "/v1/messages"
        ? handleChatCompletionsViaAnthropic(request, anthropic)
        : handleChatViaResponses(request, responses);
    case "responses":
      return via === "/v1/messages"
        ? handleResponsesViaAnthropic(request, anthropic)
        : handleResponsesViaChat(request, { ...chat, onOpenAI: false });
    default:
      return via === "/v1/chat/completions"
        ? handleMessagesViaOpenAI(request, chat)
        : handleMessagesViaResponses(request, responses);
  }
}
