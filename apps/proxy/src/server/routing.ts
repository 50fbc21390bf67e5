import type { BackendAvailability } from "../backends/types.js";
import { BACKEND_PRESETS } from "../config/presets.js";
import type { ResolvedConfig } from "../config/types.js";
import { ProxyError } from "./proxy-error.js";

/** Where a request goes and why. */
export interface RouteDecision {
  backend: string;
  /** The model sent upstream. */
  model: string;
  /** `prefix`, `route:<glob>` or `default`. */
  reason: string;
}

/** Compiles a route glob (`*` any run, `?` one character) to an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const char of glob) {
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else source += char.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

/** Options for {@link createRouter}. */
export interface RouterOptions {
  /** A backend's current availability for automatic routing (routes with a `fallback`). */
  availability?: (backend: string) => BackendAvailability | undefined;
}

/** A router compiled once from config; `resolve` is a pure lookup on the hot path. */
export interface Router {
  resolve(model: string): RouteDecision;
}

/**
 * Builds the router: `backend:model` prefix (when `backend` is configured or `echo`) >
 * first matching route (optional model rewrite; its `fallback` when the backend asks to be
 * avoided) > `defaultBackend`.
 */
export function createRouter(config: ResolvedConfig, options: RouterOptions = {}): Router {
  const { availability } = options;
  const backendNames = new Set(Object.keys(config.backends));
  backendNames.add("echo");
  // Per route, worked out once: its log reason and whether its backend exists (the hot path
  // then builds no string for a request the route serves).
  const routes = config.routes.map((route) => ({
    route,
    pattern: globToRegExp(route.match),
    reason: `route:${route.match}`,
    known: backendNames.has(route.backend),
  }));
  const describe = () => {
    const names = [...backendNames].sort().join(", ");
    const globs = config.routes.map((r) => `${r.match} -> ${r.backend}`).join(", ");
    return `configured backends: ${names}; routes: ${globs || "none"}; default backend: ${config.defaultBackend ?? "none"}`;
  };
  // Presets whose routes would claim the usual model families, when not configured yet.
  const missing = Object.values(BACKEND_PRESETS).filter(
    (p) => p.routes !== undefined && !backendNames.has(p.name),
  );
  const presetHint =
    missing.length === 0
      ? ""
      : `, or add a provider whose preset routes its models (${missing.map((p) => `\`switchyard backend add ${p.name}\` routes ${p.routes?.join(", ")}`).join("; ")})`;
  const check = (backend: string, model: string, why: string) => {
    if (!backendNames.has(backend)) {
      throw new ProxyError(
        "unknown_backend",
        `model "${model}" ${why} backend "${backend}", which is not configured (${describe()})`,
        { param: "model" },
      );
    }
  };

  return {
    resolve(model) {
      const colon = model.indexOf(":");
      if (colon > 0) {
        const prefix = model.slice(0, colon);
        if (backendNames.has(prefix)) {
          return { backend: prefix, model: model.slice(colon + 1), reason: "prefix" };
        }
      }
      for (const { route, pattern, reason, known } of routes) {
        if (pattern.test(model)) {
          if (!known) check(route.backend, model, `matches route "${route.match}" for`);
          if (route.fallback !== undefined) {
            const state = availability?.(route.backend);
            if (state !== undefined && !state.prefer) {
              check(route.fallback, model, `falls back from route "${route.match}" to`);
              return {
                backend: route.fallback,
                model: route.model ?? model,
                reason: `${reason} fallback (${route.backend}: ${state.reason})`,
              };
            }
          }
          return { backend: route.backend, model: route.model ?? model, reason };
        }
      }
      if (config.defaultBackend !== undefined) {
        check(config.defaultBackend, model, "falls through to the default");
        return { backend: config.defaultBackend, model, reason: "default" };
      }
      throw new ProxyError(
        "model_not_found",
        `no backend serves model "${model}": no route matches it and there is no default backend (${describe()}). Ask for "<backend>:${model}", add a route to config.json${presetHint}`,
        { param: "model" },
      );
    },
  };
}
