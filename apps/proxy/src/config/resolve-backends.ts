import { DEFAULT_BASE_URLS } from "./defaults.js";
import { ConfigError } from "./errors.js";
import type { SwitchyardEnv } from "./home.js";
import { ANTHROPIC_MODEL_ROUTES, OPENAI_MODEL_ROUTES } from "./presets.js";
import { describeSecretRef, resolveSecretRef } from "./secrets.js";
import type {
  BackendConfig,
  KeySource,
  RouteConfig,
  SwitchyardConfigFile,
  TargetConfig,
  ValueSource,
} from "./types.js";

/**
 * The backends the no-config mode serves from the environment, and their routes: the same
 * model families the `openai` and `anthropic` presets route.
 */
export const ENV_KEY_BACKENDS = [
  {
    name: "openai",
    envVar: "OPENAI_API_KEY",
    backend: { type: "openai", apiKey: "env:OPENAI_API_KEY" },
    routes: OPENAI_MODEL_ROUTES,
  },
  {
    name: "anthropic",
    envVar: "ANTHROPIC_API_KEY",
    backend: { type: "anthropic", apiKey: "env:ANTHROPIC_API_KEY" },
    routes: ANTHROPIC_MODEL_ROUTES,
  },
] as const satisfies ReadonlyArray<{
  name: string;
  envVar: string;
  backend: BackendConfig;
  routes: readonly string[];
}>;

/** Input of {@link resolveBackends}. */
export interface ResolveBackendsOptions {
  file: SwitchyardConfigFile;
  fileExists: boolean;
  configPath: string;
  env: SwitchyardEnv;
  /** Stored keys by backend name. */
  stored: Record<string, string>;
  resolveSecrets: boolean;
  sources: Record<string, ValueSource>;
  keySources: Record<string, KeySource>;
}

/**
 * Backends with keys resolved, plus the routes used when there is no config file (no default
 * backend then: a model no route claims is answered 404, not guessed at).
 */
export interface ResolvedBackends {
  backends: Record<string, BackendConfig>;
  autoRoutes: RouteConfig[];
  /** Backends whose key cannot be resolved (a variable that is not set), with why. */
  unavailable: Record<string, string>;
}

/**
 * Resolve the backends table: the file's backends (or, with no file at all, `openai` and
 * `anthropic` from `OPENAI_API_KEY`/`ANTHROPIC_API_KEY`), always plus `echo`.
 */
export function resolveBackends(options: ResolveBackendsOptions): ResolvedBackends {
  const { file, fileExists, env, sources } = options;
  const backends: Record<string, BackendConfig> = { echo: { type: "echo" } };
  sources["backends.echo"] = "default";
  const autoRoutes: RouteConfig[] = [];

  let declared: Record<string, BackendConfig> = file.backends ?? {};
  let origin: ValueSource = "file";
  if (!fileExists) {
    origin = "env";
    declared = {};
    for (const auto of ENV_KEY_BACKENDS) {
      if (!env[auto.envVar]) continue;
      declared[auto.name] = { ...auto.backend };
      for (const match of auto.routes) autoRoutes.push({ match, backend: auto.name });
    }
  }

  const unavailable: Record<string, string> = {};
  for (const [name, backend] of Object.entries(declared)) {
    sources[`backends.${name}`] = origin;
    backends[name] = resolveOne(name, backend, origin, options, (why) => {
      unavailable[name] ??= why;
    });
  }
  return { backends, autoRoutes, unavailable };
}

function resolveOne(
  name: string,
  backend: BackendConfig,
  origin: ValueSource,
  options: ResolveBackendsOptions,
  /** Called instead of throwing when an `env:` key's variable is not set. */
  onMissingKey: (why: string) => void,
): BackendConfig {
  if (backend.type !== "openai" && backend.type !== "anthropic") return { ...backend };
  const { sources, keySources, stored, resolveSecrets } = options;
  const path = `backends.${name}`;
  const out = { ...backend };
  if (out.baseUrl === undefined && out.targets === undefined) {
    out.baseUrl = DEFAULT_BASE_URLS[out.type];
    sources[`${path}.baseUrl`] = "default";
  } else if (out.baseUrl !== undefined) {
    sources[`${path}.baseUrl`] = origin;
  }

  const key = (ref: string | undefined, keyPath: string, useStore: boolean): string | undefined => {
    const hasStored = useStore && stored[name] !== undefined;
    keySources[keyPath] = describeSecretRef(ref, hasStored);
    if (ref !== undefined) sources[keyPath] = origin;
    if (!resolveSecrets) return undefined;
    if (ref !== undefined) {
      try {
        return resolveSecretRef({
          ref,
          env: options.env,
          owner: `backend ${name}`,
          hint: `set it and restart the proxy, or store the key with \`switchyard backend add ${name} --force --key -\``,
        });
      } catch (error) {
        // One backend without its key must not keep the others from being served.
        if (!ConfigError.isInstance(error) || error.code !== "missing_env") throw error;
        onMissingKey(error.message);
        return undefined;
      }
    }
    return hasStored ? stored[name] : undefined;
  };

  if (backend.auth?.clientSecret !== undefined) {
    const ref = backend.auth.clientSecret;
    keySources[`${path}.auth.clientSecret`] = describeSecretRef(ref);
    if (resolveSecrets) {
      try {
        out.auth = {
          ...backend.auth,
          clientSecret: resolveSecretRef({
            ref,
            env: options.env,
            owner: `backend ${name} auth.clientSecret`,
          }),
        };
      } catch (error) {
        if (!ConfigError.isInstance(error) || error.code !== "missing_env") throw error;
        onMissingKey(error.message.replace("apiKey refers", "the client secret refers"));
      }
    }
  }
  const apiKey = key(backend.apiKey, `${path}.apiKey`, true);
  if (apiKey === undefined) delete out.apiKey;
  else out.apiKey = apiKey;
  if (backend.targets) {
    out.targets = backend.targets.map((target, i): TargetConfig => {
      const resolved: TargetConfig = { ...target, id: target.id ?? `${name}#${i}` };
      if (target.id === undefined) sources[`${path}.targets[${i}].id`] = "default";
      // A target without its own key uses the backend's.
      const targetKey =
        target.apiKey === undefined
          ? apiKey
          : key(target.apiKey, `${path}.targets[${i}].apiKey`, false);
      if (targetKey === undefined) delete resolved.apiKey;
      else resolved.apiKey = targetKey;
      return resolved;
    });
  }
  return out;
}
