import { defineCommand } from "citty";
import { readConfigFileRaw, updateConfigFile } from "../config/config-file.js";
import { createCredentialStore } from "../config/credentials.js";
import { withFileLock } from "../config/file-lock.js";
import { loadConfig } from "../config/load.js";
import { BACKEND_PRESETS } from "../config/presets.js";
import { redactConfig } from "../config/redact.js";
import { displayUrl } from "../config/values.js";
import { action, CliError } from "./action.js";
import { addBackend } from "./backend-add.js";
import { configArg, formatTable, jsonArg, locateConfig } from "./common-args.js";
import { readSecretFromStdin } from "./read-secret.js";
import { askProxyToReload, describePickUp } from "./reload.js";

const addCommand = defineCommand({
  meta: { name: "add", description: "Add a backend (presets fill in the base URL)" },
  args: {
    name: {
      type: "positional",
      required: true,
      description: "Backend name (used as the `name:` model prefix)",
    },
    type: {
      type: "string",
      description: "openai | anthropic | claude-code | codex",
      valueHint: "type",
    },
    preset: {
      type: "string",
      description: `Fill type and base URL: ${Object.keys(BACKEND_PRESETS).join(", ")} (inferred from NAME)`,
      valueHint: "preset",
    },
    "base-url": { type: "string", description: "Upstream base URL", valueHint: "url" },
    key: {
      type: "string",
      description: "Store this key in the credential store; `-` reads it from stdin",
      valueHint: "key|-",
    },
    "key-env": {
      type: "string",
      description: "Read the key from this variable at startup",
      valueHint: "VAR",
    },
    tenant: {
      type: "string",
      description: "Entra ID tenant (preset azure-openai)",
      valueHint: "id",
    },
    "client-id": {
      type: "string",
      description: "Your registered application (client) id (sign-in presets)",
      valueHint: "id",
    },
    flow: {
      type: "string",
      description: "Sign-in flow: device (default) | pkce | client_credentials",
      valueHint: "flow",
    },
    "client-secret-env": {
      type: "string",
      description: "Variable holding the client secret (client_credentials)",
      valueHint: "VAR",
    },
    default: { type: "boolean", description: "Make it the default backend" },
    force: { type: "boolean", description: "Replace a backend of the same name" },
    ...configArg,
  },
  run: action(async ({ args }) => {
    const { home, configPath } = locateConfig({ config: args.config });
    let key = args.key;
    if (key === "-") {
      key = await readSecretFromStdin({ prompt: `API key for ${args.name} (input hidden): ` });
    } else if (key !== undefined) {
      if (key === "")
        throw new CliError("usage", "--key needs a value (or `-` to read it from stdin)");
      process.stderr.write(
        "warning: a key on the command line lands in your shell history; prefer `--key -`\n",
      );
    }
    const lines = await addBackend({
      home,
      configPath,
      env: process.env,
      name: args.name,
      type: args.type,
      preset: args.preset,
      baseUrl: args["base-url"],
      key,
      keyEnv: args["key-env"],
      force: args.force,
      makeDefault: args.default,
      tenant: args.tenant,
      clientId: args["client-id"],
      flow: args.flow,
      clientSecretEnv: args["client-secret-env"],
    });
    lines.push(await pickUpLine(args.config, configPath));
    process.stdout.write(`${lines.join("\n")}\n`);
  }),
});

const listCommand = defineCommand({
  meta: { name: "list", description: "List backends (keys shown as stored / env:VAR / none)" },
  args: { ...configArg, ...jsonArg },
  run: action(async ({ args }) => {
    const config = await loadConfig({
      flags: { config: args.config },
      env: process.env,
      resolveSecrets: false,
    });
    const redacted = redactConfig(config);
    const rows = Object.entries(redacted.backends).map(([name, backend]) => {
      const key = typeof backend.apiKey === "string" ? backend.apiKey : "-";
      const where =
        typeof backend.baseUrl === "string"
          ? displayUrl(backend.baseUrl)
          : Array.isArray(backend.targets)
            ? `${backend.targets.length} targets`
            : backend.type === "claude-code" || backend.type === "codex"
              ? String(backend.binary ?? (backend.type === "codex" ? "codex" : "claude"))
              : "-";
      return { name, type: String(backend.type), where, key };
    });
    if (args.json) {
      const out = {
        backends: rows,
        routes: config.routes,
        defaultBackend: config.defaultBackend ?? null,
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    const table = [
      ["NAME", "TYPE", "URL", "KEY"],
      ...rows.map((r) => [r.name, r.type, r.where, r.key]),
    ];
    const routes = config.routes.map((r) => `${r.match} → ${r.backend}`).join(", ") || "none";
    process.stdout.write(
      `${formatTable(table)}\n\nroutes:  ${routes}\ndefault: ${config.defaultBackend ?? "none"}\nconfig:  ${config.configPath}${config.configFileExists ? "" : " (not found; serving from environment)"}\n`,
    );
  }),
});

const removeCommand = defineCommand({
  meta: { name: "remove", description: "Remove a backend, its routes and its stored key" },
  args: {
    name: { type: "positional", required: true, description: "Backend name" },
    ...configArg,
  },
  run: action(async ({ args }) => {
    const { home, configPath } = locateConfig({ config: args.config });
    const lines = await removeBackend({ home, configPath, name: args.name });
    lines.push(await pickUpLine(args.config, configPath));
    process.stdout.write(`${lines.join("\n")}\n`);
  }),
});

/** Remove `name` from config.json (with routes, budgets and default that name it) and its stored key. */
export function removeBackend(options: {
  home: string;
  configPath: string;
  name: string;
}): Promise<string[]> {
  return withFileLock(options.configPath, () => removeBackendLocked(options));
}

async function removeBackendLocked(options: {
  home: string;
  configPath: string;
  name: string;
}): Promise<string[]> {
  const { name, configPath } = options;
  const raw = await readConfigFileRaw(configPath);
  const backends = raw?.backends as Record<string, unknown> | undefined;
  const store = createCredentialStore({ home: options.home });
  const lines: string[] = [];
  if (raw && backends && name in backends) {
    await updateConfigFile(configPath, (config) => {
      const next = { ...config };
      const table = { ...(next.backends as Record<string, unknown>) };
      delete table[name];
      next.backends = table;
      const dropNamed = (key: string, label: string) => {
        if (!Array.isArray(next[key])) return;
        const kept = (next[key] as { backend?: unknown }[]).filter(
          (item) => item?.backend !== name,
        );
        const removed = (next[key] as unknown[]).length - kept.length;
        if (removed > 0)
          lines.push(`removed ${removed} ${label}${removed === 1 ? "" : "s"} to ${name}`);
        next[key] = kept;
      };
      dropNamed("routes", "route");
      dropNamed("budgets", "budget");
      // A route that only falls back to it keeps routing, without the fallback.
      if (Array.isArray(next.routes)) {
        next.routes = (next.routes as Record<string, unknown>[]).map((route) => {
          if (route?.fallback !== name) return route;
          lines.push(`route ${String(route.match)} no longer falls back to ${name}`);
          const { fallback: _removed, ...rest } = route;
          return rest;
        });
      }
      if (next.defaultBackend === name) {
        delete next.defaultBackend;
        lines.push(`${name} was the default backend; there is no default now`);
      }
      return next;
    });
    lines.unshift(`removed backend ${name} from ${configPath}`);
  }
  if (await store.delete(name)) lines.push(`removed its stored key from ${store.path}`);
  if (lines.length === 0) {
    const hint =
      !raw && (name === "openai" || name === "anthropic")
        ? ` (${name} is served from ${name.toUpperCase()}_API_KEY because there is no config file; unset the variable instead)`
        : "";
    throw new CliError("usage", `no backend named ${name} in ${configPath}${hint}`);
  }
  return lines;
}

/** Asks the running proxy to reload and says whether it picked the change up (never guessed). */
async function pickUpLine(config: string | undefined, configPath: string): Promise<string> {
  try {
    const outcome = await askProxyToReload({
      env: process.env,
      flags: config === undefined ? {} : { config },
      timeoutMs: 5000,
    });
    return describePickUp(outcome, configPath);
  } catch (error) {
    return `could not tell whether a running proxy picked it up (${(error as Error).message}); check with \`switchyard status\``;
  }
}

/** `switchyard backend add|list|remove`. */
export const backendCommand = defineCommand({
  meta: { name: "backend", description: "Add, list or remove backends" },
  subCommands: { add: addCommand, list: listCommand, remove: removeCommand },
});
