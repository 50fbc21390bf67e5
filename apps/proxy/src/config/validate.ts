import { ConfigError } from "./errors.js";
import type { SwitchyardConfigFile } from "./types.js";
import { checkBackend, checkTimeouts } from "./validate-backend.js";
import { FieldChecker } from "./validate-fields.js";
import { describeValue } from "./values.js";

const TOP_LEVEL_KEYS = [
  "$schema",
  "port",
  "host",
  "apiKey",
  "allowedOrigins",
  "backends",
  "routes",
  "defaultBackend",
  "budgets",
  "overageGuard",
  "prices",
  "maxBodyBytes",
  "timeouts",
  "shutdownGraceMs",
  "mcp",
];

/** A config file that passed validation, plus warnings (e.g. unknown keys). */
export interface ValidatedConfigFile {
  config: SwitchyardConfigFile;
  warnings: string[];
}

/**
 * Validate the parsed JSON of a config file. Throws a `ConfigError` (`invalid_config`) naming
 * every bad field, the file and the expected form; unknown keys only produce warnings.
 */
export function validateConfigFile(
  raw: Record<string, unknown>,
  file: string,
): ValidatedConfigFile {
  const c = new FieldChecker();
  c.unknownKeys(raw, TOP_LEVEL_KEYS, "");
  c.optional(raw, "port", "", (v, p) => c.integer(v, p, 0, 65535));
  c.optional(raw, "host", "", (v, p) => c.string(v, p));
  c.optional(raw, "apiKey", "", (v, p) => c.secretRef(v, p));
  c.optional(raw, "allowedOrigins", "", (v, p) => c.stringArray(v, p));
  c.optional(raw, "maxBodyBytes", "", (v, p) => c.integer(v, p, 1));
  c.optional(raw, "shutdownGraceMs", "", (v, p) => c.integer(v, p, 0));
  c.optional(raw, "timeouts", "", (v, p) => checkTimeouts(c, v, p));

  const backendNames = new Set<string>(["echo"]);
  if (raw.backends !== undefined && c.object(raw.backends, "backends")) {
    for (const [name, backend] of Object.entries(raw.backends)) {
      backendNames.add(name);
      checkBackend(c, backend, name);
    }
  }
  const knownBackend = (value: unknown, path: string): boolean => {
    if (!c.string(value, path)) return false;
    if (backendNames.has(value)) return true;
    c.problem(
      path,
      `must name a backend in "backends" (one of ${[...backendNames].join(", ")}), got ${describeValue(value)}`,
    );
    return false;
  };
  if (raw.routes !== undefined) checkRoutes(c, raw.routes, knownBackend);
  c.optional(raw, "defaultBackend", "", knownBackend);
  if (raw.budgets !== undefined) checkBudgets(c, raw.budgets, knownBackend);
  c.optional(raw, "overageGuard", "", (v, p) => {
    if (!c.object(v, p)) return false;
    c.unknownKeys(v, ["enabled", "behavior", "cooldownMs", "notifyOs"], p);
    c.optional(v, "enabled", p, (w, q) => c.boolean(w, q));
    c.optional(v, "behavior", p, (w, q) => c.oneOf(w, q, ["halt", "warn"]));
    c.optional(v, "cooldownMs", p, (w, q) => c.integer(w, q, 0));
    c.optional(v, "notifyOs", p, (w, q) => c.boolean(w, q));
    return true;
  });
  c.optional(raw, "prices", "", (v, p) => {
    if (!c.object(v, p)) return false;
    for (const [model, price] of Object.entries(v)) {
      const q = `${p}.${model}`;
      if (!c.object(price, q)) continue;
      c.unknownKeys(price, ["input", "output", "cacheRead", "cacheWrite"], q);
      c.number(price.input, `${q}.input`);
      c.number(price.output, `${q}.output`);
      c.optional(price, "cacheRead", q, (w, r) => c.number(w, r));
      c.optional(price, "cacheWrite", q, (w, r) => c.number(w, r));
    }
    return true;
  });
  c.optional(raw, "mcp", "", (v, p) => {
    if (!c.object(v, p)) return false;
    c.unknownKeys(v, ["enableActions"], p);
    c.optional(v, "enableActions", p, (w, q) => c.boolean(w, q));
    return true;
  });

  if (c.issues.length > 0) {
    throw new ConfigError({
      code: "invalid_config",
      message: c.issues.map((issue) => `${file}: ${issue.path} ${issue.message}`).join("\n"),
      issues: c.issues,
      file,
    });
  }
  return {
    config: raw as SwitchyardConfigFile,
    warnings: c.warnings.map((w) => `${file}: ${w}`),
  };
}

type BackendCheck = (value: unknown, path: string) => boolean;

function checkRoutes(c: FieldChecker, value: unknown, knownBackend: BackendCheck): void {
  if (!Array.isArray(value)) {
    c.fail("routes", 'an array of { "match": "gpt-*", "backend": "openai" }', value);
    return;
  }
  value.forEach((route, i) => {
    const p = `routes[${i}]`;
    if (!c.object(route, p)) return;
    c.unknownKeys(route, ["match", "backend", "model", "fallback"], p);
    c.string(route.match, `${p}.match`);
    knownBackend(route.backend, `${p}.backend`);
    c.optional(route, "model", p, (v, q) => c.string(v, q));
    c.optional(route, "fallback", p, knownBackend);
  });
}

function checkBudgets(c: FieldChecker, value: unknown, knownBackend: BackendCheck): void {
  if (!Array.isArray(value)) {
    c.fail("budgets", 'an array of { "limitUsd": 10, "period": "day" }', value);
    return;
  }
  value.forEach((budget, i) => {
    const p = `budgets[${i}]`;
    if (!c.object(budget, p)) return;
    c.unknownKeys(budget, ["name", "backend", "model", "limitUsd", "period"], p);
    c.optional(budget, "name", p, (v, q) => c.string(v, q));
    c.optional(budget, "backend", p, knownBackend);
    c.optional(budget, "model", p, (v, q) => c.string(v, q));
    c.number(budget.limitUsd, `${p}.limitUsd`);
    c.oneOf(budget.period, `${p}.period`, ["day", "month", "total"]);
  });
}
