import type { BackendConfig } from "../config/types.js";
import { ProxyError } from "../server/proxy-error.js";
import { createAnthropicBackend } from "./anthropic/anthropic-backend.js";
import { claudeCodeBackendFactory } from "./claude-code/claude-code-backend.js";
import { createEchoBackend } from "./echo/echo-backend.js";
import { createOpenAIBackend } from "./openai/openai-backend.js";
import { replayBackendFactory } from "./replay/replay-backend.js";
import type { Backend, BackendContext } from "./types.js";

/** Builds one backend of a given type from its config. */
export type BackendFactory = (options: {
  name: string;
  config: BackendConfig;
  context: BackendContext;
}) => Backend;

/**
 * The backend types this build knows. Adding a type (e.g. `claude-code`) is one entry here.
 * A configured backend whose type has no factory answers 501 when routed to.
 */
export const backendFactories: Partial<Record<BackendConfig["type"], BackendFactory>> = {
  echo: ({ name }) => createEchoBackend(name),
  openai: createOpenAIBackend,
  anthropic: createAnthropicBackend,
  "claude-code": claudeCodeBackendFactory,
  replay: replayBackendFactory,
};

/** Instantiates every configured backend (and `echo`, always). */
export function createBackends(
  configs: Record<string, BackendConfig>,
  context: BackendContext,
  factories: Partial<Record<BackendConfig["type"], BackendFactory>> = backendFactories,
  /** Backends that cannot serve (e.g. their key variable is not set), with why. */
  unavailable: Readonly<Record<string, string>> = {},
): Map<string, Backend> {
  const backends = new Map<string, Backend>();
  for (const [name, config] of Object.entries(configs)) {
    const why = unavailable[name];
    if (why !== undefined) {
      backends.set(name, unavailableBackend(name, config.type, why));
      continue;
    }
    const factory = factories[config.type];
    if (factory === undefined) {
      context.logger.warn(
        `backend "${name}": type "${config.type}" is not available in this build`,
      );
      continue;
    }
    backends.set(name, factory({ name, config, context }));
  }
  if (!backends.has("echo")) backends.set("echo", createEchoBackend("echo"));
  return backends;
}

/**
 * A configured backend that cannot serve: every request gets a non-retryable 400 saying why
 * and how to fix it (in the caller's dialect) and nothing goes upstream; it lists no models.
 */
function unavailableBackend(name: string, type: BackendConfig["type"], why: string): Backend {
  return {
    name,
    type,
    listModels: async () => [],
    handle: async () => {
      throw new ProxyError("backend_unavailable", why);
    },
  };
}
