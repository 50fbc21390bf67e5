import type { BackendConfig } from "../config/types.js";
import { ProxyError } from "../server/proxy-error.js";
import { createAnthropicBackend } from "./anthropic/anthropic-backend.js";
import { claudeCodeBackendFactory } from "./claude-code/claude-code-backend.js";
import { codexBackendFactory } from "./codex/codex-backend.js";
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
 * A configured backend whose type has no factory is not served (a non-retryable 400 says so).
 */
export const backendFactories: Partial<Record<BackendConfig["type"], BackendFactory>> = {
  echo: ({ name }) => createEchoBackend(name),
  openai: createOpenAIBackend,
  anthropic: createAnthropicBackend,
  "claude-code": claudeCodeBackendFactory,
  codex: codexBackendFactory,
  replay: replayBackendFactory,
};

/**
 * Instantiates one configured backend; undefined (with a warning) when its type has no
 * factory in this build. A backend that cannot serve gets a stand-in that says why.
 */
export function createBackend(options: {
  name: string;
  config: BackendConfig;
  context: BackendContext;
  factories?: Partial<Record<BackendConfig["type"], BackendFactory>>;
  /** Why it cannot serve (e.g. its key variable is not set). */
  unavailable?: string | undefined;
}): Backend | undefined {
  const { name, config, context, factories = backendFactories } = options;
  if (options.unavailable !== undefined) {
    return unavailableBackend(name, config.type, options.unavailable);
  }
  const factory = factories[config.type];
  if (factory === undefined) {
    context.logger.warn(`backend "${name}": type "${config.type}" is not available in this build`);
    return undefined;
  }
  return factory({ name, config, context });
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
