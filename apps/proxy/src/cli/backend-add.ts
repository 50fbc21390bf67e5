import { probeClaudeCli } from "../backends/claude-code/index.js";
import { probeCodexCli } from "../backends/codex/index.js";
import { readConfigFileRaw, updateConfigFile } from "../config/config-file.js";
import { createCredentialStore } from "../config/credentials.js";
import { DEFAULT_BASE_URLS } from "../config/defaults.js";
import { withFileLock } from "../config/file-lock.js";
import type { SwitchyardEnv } from "../config/home.js";
import { BACKEND_PRESETS, type BackendPreset, findPreset } from "../config/presets.js";
import { ENV_KEY_BACKENDS } from "../config/resolve-backends.js";
import { didYouMean, suggest } from "../config/suggest.js";
import type { BackendType } from "../config/types.js";
import { validateConfigFile } from "../config/validate.js";
import { BACKEND_NAME } from "../config/validate-backend.js";
import { describeUrlValue, describeValue, isHttpUrl } from "../config/values.js";
import { CliError } from "./action.js";

/** What `switchyard backend add` was asked to do. */
export interface AddBackendOptions {
  home: string;
  configPath: string;
  env: SwitchyardEnv;
  name: string;
  type?: string;
  preset?: string;
  baseUrl?: string;
  /** The key itself (already read from stdin when the user passed `--key -`). */
  key?: string;
  /** Variable to read the key from at startup (stored as `env:VAR`). */
  keyEnv?: string;
  /** Replace an existing backend of the same name. */
  force?: boolean;
  /** Make it the `defaultBackend`. */
  makeDefault?: boolean;
  /** Sign-in presets (`azure-openai`): the user's tenant, registered client and flow. */
  tenant?: string;
  clientId?: string;
  flow?: string;
  /** `VAR` holding the client secret (client credentials). */
  clientSecretEnv?: string;
}

const ADDABLE_TYPES: readonly BackendType[] = ["openai", "anthropic", "claude-code", "codex"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Add (or with `force`, replace) a backend in config.json, keeping every other field, and put
 * its key in the credential store. Returns lines to show the user; never the key.
 */
export function addBackend(options: AddBackendOptions): Promise<string[]> {
  // One read-modify-write of config.json and the credential store at a time: concurrent
  // `backend add` runs would otherwise each write back the file they read, losing the others.
  return withFileLock(options.configPath, () => addBackendLocked(options));
}

async function addBackendLocked(options: AddBackendOptions): Promise<string[]> {
  const { name, env, configPath } = options;
  if (!BACKEND_NAME.test(name) || name === "echo") {
    throw new CliError(
      "usage",
      name === "echo"
        ? "echo is built in and cannot be replaced"
        : `backend name ${describeValue(name)} must be letters, digits, '.', '_' or '-' (no ':')`,
    );
  }
  const current = await readConfigFileRaw(configPath);
  const existing = (current?.backends as Record<string, Record<string, unknown>> | undefined)?.[
    name
  ];
  if (existing !== undefined && !options.force) {
    throw new CliError(
      "usage",
      `backend ${name} already exists in ${configPath} (add --force to replace it)`,
    );
  }
  const preset = pickPreset(options);
  // `--force` without a type keeps the existing backend's type and URL (e.g. to rotate a key).
  const kept = existing && !options.type && !options.preset ? existing : undefined;
  const type = (options.type ?? (kept?.type as string | undefined) ?? preset?.type) as
    | BackendType
    | undefined;
  if (!type || !ADDABLE_TYPES.includes(type)) {
    throw new CliError(
      "usage",
      type
        ? `--type must be one of ${ADDABLE_TYPES.join(", ")}, got ${describeValue(type)}`
        : `say what ${name} is${presetHint(name)}: --type openai|anthropic|claude-code|codex, or --preset ${Object.keys(BACKEND_PRESETS).join("|")}`,
    );
  }
  if (options.key !== undefined && options.keyEnv !== undefined) {
    throw new CliError("usage", "use either --key or --key-env, not both");
  }
  // Rotating a key keeps the rest of the entry (models, headers, targets, ...).
  const entry: Record<string, unknown> = { ...kept, type };
  delete entry.apiKey;
  const lines: string[] = [];
  let keyNote = "none";
  let keepStored = false;
  const store = createCredentialStore({ home: options.home });
  if (type === "claude-code" || type === "codex") {
    if (options.key !== undefined || options.keyEnv !== undefined || options.baseUrl) {
      const cli = type === "codex" ? "codex" : "claude";
      throw new CliError(
        "usage",
        `a ${type} backend runs the official \`${cli}\` CLI with its own login; it takes no key or base URL`,
      );
    }
  } else {
    const baseUrl =
      options.baseUrl ??
      (typeof kept?.baseUrl === "string" ? kept.baseUrl : undefined) ??
      preset?.baseUrl ??
      (type === "anthropic" ? "https://api.anthropic.com" : undefined);
    // A kept pool of targets needs no top-level baseUrl.
    if (!baseUrl && !Array.isArray(kept?.targets)) {
      throw new CliError(
        "usage",
        `--base-url is required for ${name} (e.g. ${preset?.baseUrlHint ?? "http://127.0.0.1:8000/v1"})`,
      );
    }
    if (baseUrl !== undefined) {
      if (!isHttpUrl(baseUrl)) {
        throw new CliError(
          "usage",
          `--base-url must be an http(s) URL, got ${describeUrlValue(baseUrl)}`,
        );
      }
      entry.baseUrl = baseUrl;
    }
    const same = sameUpstream(existing, kept, entry);
    const keyEnv = options.keyEnv?.replace(/^env:/, "");
    if (keyEnv !== undefined) {
      if (!ENV_NAME.test(keyEnv)) {
        throw new CliError(
          "usage",
          // Not echoed: a key pasted here by mistake must not land in the terminal scrollback.
          "--key-env must be a variable name like GROQ_API_KEY (letters, digits, _), not the key itself",
        );
      }
      entry.apiKey = `env:${keyEnv}`;
      keyNote = `env:${keyEnv}`;
      if (!env[keyEnv])
        lines.push(`note: ${keyEnv} is not set in this shell; set it before starting the proxy`);
    } else if (preset?.auth !== undefined && options.key === undefined) {
      entry.auth = presetAuth(preset, options);
      keyNote = `none: sign in with \`switchyard login ${name}\``;
    } else if (options.key !== undefined) {
      keyNote = "stored";
    } else if (same && typeof existing?.apiKey === "string") {
      // `--force` on the same upstream keeps its key reference (never printed if a literal).
      entry.apiKey = existing.apiKey;
      keyNote = existing.apiKey.startsWith("env:")
        ? `${existing.apiKey} (kept)`
        : "in config.json (kept)";
    } else if (same && (await store.get(name)) !== undefined) {
      // `--force` on the same upstream (a new model list, headers): the stored key stays.
      keyNote = "stored (kept)";
      keepStored = true;
    } else if (preset?.keyEnv && env[preset.keyEnv]) {
      entry.apiKey = `env:${preset.keyEnv}`;
      keyNote = `env:${preset.keyEnv} (found in your environment)`;
    } else if (preset?.needsKey !== false) {
      lines.push(
        `note: no key given; store one with \`switchyard backend add ${name} --force --key -\`${preset?.keyEnv ? ` or use --key-env ${preset.keyEnv}` : ""}`,
      );
    }
  }

  const next = structuredClone(current ?? seedConfig(env, lines));
  const backends = (next.backends ?? {}) as Record<string, unknown>;
  backends[name] = entry;
  next.backends = backends;
  const routes = addPresetRoutes(next, name, preset?.type === type ? preset : undefined);
  // A backend that brings its own routes is not made the catch-all: a model outside its
  // families must not silently go to it (e.g. claude-* to OpenAI).
  if (options.makeDefault || (next.defaultBackend === undefined && routes.mine.length === 0)) {
    next.defaultBackend = name;
  }
  // Refuse to write a config the proxy would then reject.
  validateConfigFile(next, configPath);

  if (options.key !== undefined) await store.set(name, options.key);
  else if (!keepStored && (await store.delete(name))) {
    // The old key belonged to the upstream being replaced: it must not follow the name.
    lines.push(`removed the key stored for the previous ${name}`);
  }
  await updateConfigFile(configPath, () => next);

  const target =
    type === "claude-code" || type === "codex"
      ? `${type === "codex" ? "codex" : "claude"} CLI`
      : typeof entry.baseUrl === "string"
        ? entry.baseUrl
        : `${(entry.targets as unknown[]).length} targets`;
  lines.unshift(
    `${existing === undefined ? "added" : "replaced"} backend ${name} (${type}, ${target}); key: ${keyNote}`,
    `config: ${configPath}${current ? "" : " (created)"}`,
  );
  if (options.key !== undefined) lines.push(`key stored in ${store.path} (mode 0600)`);
  if (routes.added.length > 0) {
    lines.push(`added routes: ${routes.added.map((m) => `${m} → ${name}`).join(", ")}`);
  }
  if (routes.kept.length > 0) {
    lines.push(`routes already there: ${routes.kept.map((m) => `${m} → ${name}`).join(", ")}`);
  }
  for (const [match, other] of routes.taken) {
    lines.push(`note: route ${match} already goes to ${other}; left as it is`);
  }
  if (next.defaultBackend === name) lines.push(`default backend: ${name}`);
  if (type === "claude-code") {
    const binary = typeof entry.binary === "string" ? entry.binary : "claude";
    const probe = await probeClaudeCli({ binary, env });
    lines.push(
      probe.installed
        ? `claude CLI ${probe.version ?? "(version unknown)"} at ${probe.path}; it uses its own login (run \`claude\` once if you have not)`
        : `note: ${probe.error}`,
    );
  }
  if (type === "codex") lines.push(...(await describeCodexCli(entry, env)));
  lines.push(
    routes.mine.length > 0
      ? `use it with a model matching ${routes.mine.join(", ")}, or any model as "${name}:<model>"`
      : `use it with model "${name}:<model>" (or add a route in config.json)`,
  );
  return lines;
}

/** `backend add --type codex`: the CLI's version, path and login, as the CLI itself reports them. */
async function describeCodexCli(
  entry: Record<string, unknown>,
  env: SwitchyardEnv,
): Promise<string[]> {
  const binary = typeof entry.binary === "string" ? entry.binary : "codex";
  const probe = await probeCodexCli({ binary, env });
  if (!probe.installed) return [`note: ${probe.error}`];
  const login =
    probe.loggedIn === true
      ? `logged in${probe.login === undefined ? "" : ` with ${probe.login}`}`
      : probe.loggedIn === false
        ? "not logged in: run `codex login` (or give your Codex config a provider with its own key)"
        : "login state unknown";
  return [`codex CLI ${probe.version ?? "(version unknown)"} at ${probe.path}; ${login}`];
}

/** What {@link addPresetRoutes} did with a preset's routes. */
interface PresetRoutes {
  /** Globs newly routed to the backend. */
  added: string[];
  /** Globs that already routed to it. */
  kept: string[];
  /** Globs some other backend already had: glob and that backend. */
  taken: [string, string][];
  /** Every glob that now routes to the backend. */
  mine: string[];
}

/** Appends the preset's routes (`claude-*` for anthropic, …) that `next.routes` lacks. */
function addPresetRoutes(
  next: Record<string, unknown>,
  name: string,
  preset: BackendPreset | undefined,
): PresetRoutes {
  const out: PresetRoutes = { added: [], kept: [], taken: [], mine: [] };
  const routes = Array.isArray(next.routes) ? [...(next.routes as Record<string, unknown>[])] : [];
  for (const match of preset?.routes ?? []) {
    const existing = routes.find((r) => r?.match === match);
    if (existing === undefined) {
      routes.push({ match, backend: name });
      out.added.push(match);
    } else if (existing.backend === name) {
      out.kept.push(match);
    } else {
      out.taken.push([match, String(existing.backend)]);
    }
  }
  if (out.added.length > 0) next.routes = routes;
  out.mine = routes.filter((r) => r?.backend === name).map((r) => String(r.match));
  return out;
}

/**
 * Whether a `--force` replace without a new key still talks to the same upstream (same type,
 * base URL and targets), so the key it had may stay. Any other replace drops the old key.
 */
function sameUpstream(
  existing: Record<string, unknown> | undefined,
  kept: Record<string, unknown> | undefined,
  entry: Record<string, unknown>,
): boolean {
  if (existing === undefined || kept === undefined) return false;
  return (
    existing.type === entry.type &&
    existing.baseUrl === entry.baseUrl &&
    JSON.stringify(existing.targets) === JSON.stringify(entry.targets)
  );
}

/** ` (did you mean --preset x?)` when a backend's name is a near miss of a preset's. */
function presetHint(name: string): string {
  const near = suggest(name, Object.keys(BACKEND_PRESETS));
  return near === undefined ? "" : ` (did you mean --preset ${near}?)`;
}

/** The `auth` block of a sign-in preset, from `--tenant`, `--client-id`, `--flow`. */
function presetAuth(preset: BackendPreset, options: AddBackendOptions) {
  const flows = ["pkce", "device", "client_credentials"] as const;
  const flow = (options.flow ?? "device") as (typeof flows)[number];
  if (!flows.includes(flow)) {
    throw new CliError("usage", `--flow must be one of ${flows.join(", ")}`);
  }
  if (!options.tenant || !options.clientId) {
    throw new CliError(
      "usage",
      `preset ${preset.name} signs in with your own registration: give --tenant <tenant id> and --client-id <application id>`,
    );
  }
  const secretEnv = options.clientSecretEnv?.replace(/^env:/, "");
  if (flow === "client_credentials" && (!secretEnv || !ENV_NAME.test(secretEnv))) {
    throw new CliError("usage", "--flow client_credentials needs --client-secret-env VAR");
  }
  return preset.auth!({
    tenant: options.tenant,
    clientId: options.clientId,
    flow,
    ...(secretEnv ? { clientSecret: `env:${secretEnv}` } : {}),
  });
}

function pickPreset(options: AddBackendOptions): BackendPreset | undefined {
  if (options.preset !== undefined) {
    const preset = findPreset(options.preset);
    if (!preset) {
      throw new CliError(
        "usage",
        `unknown preset ${describeValue(options.preset)}${didYouMean(options.preset, Object.keys(BACKEND_PRESETS))}; one of ${Object.keys(BACKEND_PRESETS).join(", ")}`,
      );
    }
    return preset;
  }
  const inferred = findPreset(options.name);
  // A name like "groq" implies its preset unless the flags say it is something else.
  return inferred && (options.type === undefined || options.type === inferred.type)
    ? inferred
    : undefined;
}

/**
 * The first config.json written keeps what the no-config mode served from env keys (once a
 * file exists, the environment alone no longer adds backends), and says so.
 */
function seedConfig(env: SwitchyardEnv, lines: string[]): Record<string, unknown> {
  const backends: Record<string, unknown> = {};
  const routes: unknown[] = [];
  for (const auto of ENV_KEY_BACKENDS) {
    if (!env[auto.envVar]) continue;
    const { type, apiKey } = auto.backend;
    backends[auto.name] = { type, baseUrl: DEFAULT_BASE_URLS[type], apiKey };
    for (const match of auto.routes) routes.push({ match, backend: auto.name });
    lines.push(
      `kept backend ${auto.name} from your environment (key: env:${auto.envVar}; routes ${auto.routes.join(", ")}); remove it with \`switchyard backend remove ${auto.name}\``,
    );
  }
  const seed: Record<string, unknown> = { backends };
  if (routes.length > 0) seed.routes = routes;
  return seed;
}
