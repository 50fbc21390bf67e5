import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  CaptureError,
  createReplayMatcher,
  entryJsonBody,
  entryPath,
  parseCassette,
  type ReplayMatcher,
} from "@switchyard/template-capture";
import type { ReplayBackendConfig } from "../../config/types.js";
import { ProxyError } from "../../server/proxy-error.js";
import type { BackendFactory } from "../create-backends.js";
import type { Backend, BackendModel, Endpoint } from "../types.js";
import { serveRecorded } from "./serve-recorded.js";

const PATHS: Record<Endpoint, string> = {
  messages: "/v1/messages",
  count_tokens: "/v1/messages/count_tokens",
  chat_completions: "/v1/chat/completions",
  responses: "/v1/responses",
};

interface Loaded {
  matcher: ReplayMatcher;
  models: BackendModel[];
}

/**
 * The `replay` backend: answers from a recorded capture (a HAR file from `switchyard
 * capture`), with no network. Each request finds its recorded answer with the capture
 * library's replay matcher; a recorded stream is replayed event by event, with its recorded
 * pacing or at full speed. The cassette is read on first use; a missing or broken file is
 * `backend_unavailable` naming the file, a request with no recorded answer a 404 naming the
 * closest recording.
 *
 * @example
 * { "backends": { "cc": { "type": "replay", "cassette": "claude.har", "pacing": "recorded" } },
 *   "defaultBackend": "cc" }
 */
export function createReplayBackend(name: string, config: ReplayBackendConfig): Backend {
  const path = resolve(config.cassette);
  let loading: Promise<Loaded> | undefined;
  const load = (): Promise<Loaded> => {
    loading ??= readFile(path, "utf8").then(
      (text) => {
        const har = parseCassette(text);
        const models = new Set<string>();
        for (const entry of har.log.entries) {
          const model = entryJsonBody(entry)?.model;
          if (typeof model === "string") models.add(model);
        }
        return {
          matcher: createReplayMatcher({
            entries: har.log.entries.filter((e) => entryPath(e).startsWith("/v1/")),
            mode: config.match ?? "normalized",
            strict: true,
          }),
          models: [...models].map((id) => ({ id })),
        };
      },
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

  return {
    name,
    type: "replay",
    async listModels() {
      return (await load().catch(() => undefined))?.models ?? [];
    },
    async handle(request) {
      const loaded = await load().catch((error: unknown) => {
        throw unavailable(error);
      });
      // Match on what the client sent: its own model name, its own body text when unchanged.
      const body =
        request.rawBody ?? JSON.stringify({ ...request.body, model: request.requestedModel });
      let entry: ReturnType<ReplayMatcher["match"]>;
      try {
        entry = loaded.matcher.match({ method: "POST", path: PATHS[request.endpoint], body });
      } catch (error) {
        if (!CaptureError.isInstance(error)) throw error;
        throw new ProxyError("not_found", `replay backend "${name}": ${error.message}`);
      }
      if (entry === undefined)
        throw new ProxyError("not_found", `replay backend "${name}": no recorded answer`);
      const status = await serveRecorded({
        entry,
        sink: request.response,
        signal: request.signal,
        paced: config.pacing === "recorded",
      });
      return { status, target: name };
    },
  };
}

/** Factory for `backendFactories` (type `replay`). */
export const replayBackendFactory: BackendFactory = ({ name, config }) =>
  createReplayBackend(name, config as ReplayBackendConfig);
