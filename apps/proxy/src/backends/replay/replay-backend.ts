import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  CaptureError,
  createReplayMatcher,
  entryJsonBody,
  entryPath,
  type HarEntry,
  parseCassette,
  type ReplayMatcher,
} from "@switchyard/template-capture";
import type { ReplayBackendConfig } from "../../config/types.js";
import { ProxyError } from "../../server/proxy-error.js";
import type { BackendFactory } from "../create-backends.js";
import { upstreamErrorFrom } from "../http/upstream-error.js";
import type { Backend, BackendModel, BackendRequest, Endpoint } from "../types.js";
import { conversationOf } from "./conversation.js";
import { recordedUpstream } from "./recorded-upstream.js";
import { serveRecorded } from "./serve-recorded.js";
import { type ReplaySend, serveTranslated } from "./translated-replay.js";

const PATHS: Record<Endpoint, string> = {
  messages: "/v1/messages",
  count_tokens: "/v1/messages/count_tokens",
  chat_completions: "/v1/chat/completions",
  responses: "/v1/responses",
  responses_input_tokens: "/v1/responses/input_tokens",
};

interface Loaded {
  /** Matches a request in the dialect it was recorded in, by its configured mode. */
  matcher: ReplayMatcher;
  /** Matches a request translated from another dialect, by its conversation. */
  translated: ReplayMatcher;
  /** The API paths the cassette holds answers for. */
  recorded: Set<string>;
  models: BackendModel[];
}

function loadCassette(text: string, config: ReplayBackendConfig): Loaded {
  const har = parseCassette(text);
  const entries = har.log.entries.filter((e) => entryPath(e).startsWith("/v1/"));
  const models = new Set<string>();
  for (const entry of entries) {
    const model = entryJsonBody(entry)?.model;
    if (typeof model === "string") models.add(model);
  }
  return {
    matcher: createReplayMatcher({ entries, mode: config.match ?? "normalized", strict: true }),
    translated: createReplayMatcher({
      entries,
      mode: config.match === "in-order" ? "in-order" : "normalized",
      strict: true,
      project: conversationOf,
    }),
    recorded: new Set(entries.map(entryPath)),
    models: [...models].map((id) => ({ id })),
  };
}

/**
 * The `replay` backend: answers from a recorded capture (a HAR file from `switchyard
 * capture`), with no network, in either dialect. A request the cassette holds answers for in
 * its own dialect finds its recorded answer with the capture library's replay matcher (mode
 * `match`); one in another dialect is translated into the recorded dialect, matched by its
 * conversation (turns and stream flag: the other dialect's system prompt, tools and
 * parameters differ by construction; `in-order` still serves in order), and the recorded
 * answer is translated back, streams event by event. A recorded stream keeps its recorded
 * pacing or goes at full speed. The cassette is read on first use; a missing or broken file is
 * `backend_unavailable` naming the file, a request with no recorded answer a 404 naming the
 * closest recording.
 *
 * @example
 * { "backends": { "cc": { "type": "replay", "cassette": "claude.har", "pacing": "recorded" } },
 *   "defaultBackend": "cc" }
 */
export function createReplayBackend(name: string, config: ReplayBackendConfig): Backend {
  const path = resolve(config.cassette);
  const paced = config.pacing === "recorded";
  let loading: Promise<Loaded> | undefined;
  const load = (): Promise<Loaded> => {
    loading ??= readFile(path, "utf8").then(
      (text) => loadCassette(text, config),
      (error: NodeJS.ErrnoException) => {
        loading = undefined; // a file that appears later is picked up
        throw error;
      },
    );
    return loading;
  };
  const unavailable = (error: unknown) =>
    new ProxyError(
      "backend_unavailable",
      `replay backend "${name}": cannot read cassette ${path}: ${
        CaptureError.isInstance(error)
          ? error.message
          : ((error as NodeJS.ErrnoException).code ?? "unreadable")
      }`,
    );
  const find = (matcher: ReplayMatcher, path: string, body: string): HarEntry => {
    try {
      const entry = matcher.match({ method: "POST", path, body });
      if (entry !== undefined) return entry;
    } catch (error) {
      if (!CaptureError.isInstance(error)) throw error;
      throw new ProxyError("not_found", `replay backend "${name}": ${error.message}`);
    }
    throw new ProxyError("not_found", `replay backend "${name}": no recorded answer`);
  };

  return {
    name,
    type: "replay",
    async listModels() {
      return (await load().catch(() => undefined))?.models ?? [];
    },
    async handle(request: BackendRequest) {
      const loaded = await load().catch((error: unknown) => {
        throw unavailable(error);
      });
      const own = PATHS[request.endpoint];
      if (!loaded.recorded.has(own)) {
        // Recorded in another dialect: translated there and back.
        const send: ReplaySend = async (r, via, body) => {
          const entry = find(loaded.translated, via, body);
          const response = recordedUpstream(entry, { signal: r.signal, paced });
          if (response.status < 200 || response.status >= 300) {
            const dialect = via === "/v1/messages" ? "anthropic" : "openai";
            throw await upstreamErrorFrom({ response, backend: name, dialect, secrets: [] });
          }
          return { response, target: { id: name, baseUrl: "replay:" }, failovers: 0 };
        };
        const served = serveTranslated({ request, name, recorded: loaded.recorded, send });
        if (served !== undefined) return served;
      }
      // Match on what the client sent: its own model name, its own body text when unchanged.
      const body =
        request.rawBody ?? JSON.stringify({ ...request.body, model: request.requestedModel });
      const entry = find(loaded.matcher, own, body);
      const status = await serveRecorded({
        entry,
        sink: request.response,
        signal: request.signal,
        paced,
      });
      return { status, target: name };
    },
  };
}

/** Factory for `backendFactories` (type `replay`). */
export const replayBackendFactory: BackendFactory = ({ name, config }) =>
  createReplayBackend(name, config as ReplayBackendConfig);
