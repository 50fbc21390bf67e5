import { type BearerAuth, createBackendAuth } from "../../auth/backend-auth.js";
import { urlSecrets } from "../../config/redact.js";
import type {
  AnthropicBackendConfig,
  OpenAIBackendConfig,
  TimeoutConfig,
} from "../../config/types.js";
import { ProxyError } from "../../server/proxy-error.js";
import type { BackendContext } from "../types.js";
import { withEncodedForms } from "./redact-upstream.js";
import { createTargetPool, type TargetPool } from "./target-pool.js";

/** One upstream of an HTTP backend: a member of its pool. */
export interface HttpTarget {
  id: string;
  baseUrl: string;
  apiKey?: string;
  /** Relative share of traffic when headroom is equal (pool default 1). */
  weight?: number;
  /** Declared limits, used when the upstream sends no rate-limit headers. */
  limits?: { requestsPerMinute?: number; tokensPerMinute?: number };
}

/** The targets of an HTTP backend: its `targets`, else its own `baseUrl`/`apiKey`. */
export function resolveTargets(
  name: string,
  config: OpenAIBackendConfig | AnthropicBackendConfig,
): HttpTarget[] {
  if (config.targets !== undefined && config.targets.length > 0) {
    return config.targets.map((t, i) => ({
      id: t.id ?? `${name}#${i}`,
      baseUrl: t.baseUrl.replace(/\/+$/, ""),
      ...(t.apiKey ? { apiKey: t.apiKey } : {}),
      ...(t.weight === undefined ? {} : { weight: t.weight }),
      ...(t.limits === undefined ? {} : { limits: t.limits }),
    }));
  }
  if (config.baseUrl === undefined) return [];
  return [
    {
      id: `${name}#0`,
      baseUrl: config.baseUrl.replace(/\/+$/, ""),
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    },
  ];
}

/** A base URL's path part (before any `?` or `#`), without trailing slashes. */
export function basePath(baseUrl: string): string {
  const cut = baseUrl.search(/[?#]/);
  return (cut < 0 ? baseUrl : baseUrl.slice(0, cut)).replace(/\/+$/, "");
}

/**
 * `path` (which may carry its own query) appended to a base URL's path, the base's query kept
 * after it: `https://fn.example/api?code=K` and `/chat/completions` give
 * `https://fn.example/api/chat/completions?code=K` (Azure Functions and gateways that take
 * their key in the query). A fragment is dropped: it never reaches a server.
 */
export function joinUrl(baseUrl: string, path: string): string {
  const cut = baseUrl.search(/[?#]/);
  if (cut < 0) return `${baseUrl}${path}`;
  const query = baseUrl[cut] === "?" ? baseUrl.slice(cut + 1).replace(/#.*$/, "") : "";
  const joined = `${basePath(baseUrl)}${path}`;
  return query === "" ? joined : `${joined}${path.includes("?") ? "&" : "?"}${query}`;
}

/** The first target, or a clear error when the backend has none. */
export function firstTarget(name: string, targets: HttpTarget[]): HttpTarget {
  const target = targets[0];
  if (target === undefined) {
    throw new ProxyError(
      "upstream_unreachable",
      `backend ${name} has no baseUrl or targets configured`,
      {
        status: 500,
      },
    );
  }
  return target;
}

/**
 * Every secret of a backend, for redaction: keys, static header values, and the credential
 * parts of its URLs (userinfo password, `?key=`-like query values), which an upstream error
 * may echo.
 */
export function backendSecrets(
  config: OpenAIBackendConfig | AnthropicBackendConfig,
  targets: HttpTarget[],
): string[] {
  const out: string[] = [];
  for (const t of targets) {
    if (t.apiKey) out.push(t.apiKey);
    out.push(...urlSecrets(t.baseUrl));
  }
  for (const value of Object.values(config.headers ?? {})) out.push(value);
  // An upstream may echo a key base64-encoded (a `Basic` credential, a token blob).
  return withEncodedForms(out);
}

/**
 * `url(target, path)` for a backend's targets, made once per target and path and then handed
 * out as the same string: the upstream client looks up its parsed form by that string, and a
 * string built anew per request was flattened and hashed again each time (~0.1-0.3 us).
 * Paths are a backend's few constant endpoints, so the memo stays small.
 */
export function createTargetUrls(
  url: (target: HttpTarget, path: string) => string,
): (target: HttpTarget, path: string) => string {
  const byTarget = new WeakMap<HttpTarget, Map<string, string>>();
  return (target, path) => {
    let paths = byTarget.get(target);
    if (paths === undefined) {
      paths = new Map();
      byTarget.set(target, paths);
    }
    let full = paths.get(path);
    if (full === undefined) {
      full = url(target, path);
      paths.set(path, full);
    }
    return full;
  };
}

/** Backend timeouts over the proxy-wide defaults, field by field. */
export function mergeTimeouts(
  defaults: Required<TimeoutConfig>,
  own: TimeoutConfig | undefined,
): Required<TimeoutConfig> {
  return {
    ...defaults,
    ...Object.fromEntries(Object.entries(own ?? {}).filter(([, v]) => v !== undefined)),
  };
}

/** What every HTTP backend sets up from its config: targets, secrets to redact, its pool. */
export function setUpHttpBackend(
  name: string,
  own: OpenAIBackendConfig | AnthropicBackendConfig,
  context: BackendContext,
): {
  targets: HttpTarget[];
  secrets: string[];
  pool: TargetPool;
  userAgent: string;
  auth?: BearerAuth;
} {
  const targets = resolveTargets(name, own);
  const auth =
    own.auth === undefined
      ? undefined
      : createBackendAuth({ name, auth: own.auth, home: context.home });
  return {
    ...(auth === undefined ? {} : { auth }),
    targets,
    secrets: backendSecrets(own, targets),
    pool: createTargetPool({
      backend: name,
      targets,
      timeouts: mergeTimeouts(context.timeouts, own.timeouts),
      logger: context.logger,
    }),
    userAgent: `switchyard/${context.version}`,
  };
}
