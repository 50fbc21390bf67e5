import { resolve } from "node:path";
import { defineCommand } from "citty";
import { type ProxyAddressFlags, resolveProxyAddress } from "../config/address.js";
import type { SwitchyardEnv } from "../config/home.js";
import type { ReloadResult } from "../server/reloader.js";
import type { requestOnce } from "../undici.js";
import { action, CliError } from "./action.js";
import { failureCode, isConnectionFailure, postAdmin } from "./admin-post.js";
import { configArg } from "./common-args.js";

/** What asking a running proxy to reload came to. */
export type ReloadOutcome =
  /** The proxy answered with a reload result (`ok` false: it refused the config, and kept the old). */
  | { kind: "answered"; where: string; result: ReloadResult }
  | { kind: "not_running"; where: string }
  | { kind: "refused"; where: string; status: number }
  /** Something answered, but not a switchyard proxy that can reload. */
  | { kind: "unsupported"; where: string; status: number }
  | { kind: "unreachable"; where: string; why: string };

/**
 * POST `/admin/reload` to the running proxy (found like every command: flag > env > config >
 * default), presenting the client key. Never throws for a proxy that is not there.
 */
export async function askProxyToReload(options: {
  env: SwitchyardEnv;
  flags?: ProxyAddressFlags;
  timeoutMs?: number;
  request?: typeof requestOnce;
}): Promise<ReloadOutcome> {
  const { url, apiKey } = await resolveProxyAddress({ flags: options.flags, env: options.env });
  const where = url.replace(/^https?:\/\//, "");
  const timeout = options.timeoutMs ?? 10_000;
  let status: number;
  let text: string;
  try {
    ({ status, text } = await postAdmin({
      url,
      path: "/admin/reload",
      apiKey,
      timeoutMs: timeout,
      request: options.request,
    }));
  } catch (error) {
    if (isConnectionFailure(error)) return { kind: "not_running", where };
    const code = failureCode(error);
    return { kind: "unreachable", where, why: String(code ?? (error as Error)?.name ?? "error") };
  }
  if (status === 401 || status === 403) return { kind: "refused", where, status };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const result = body as Partial<ReloadResult> | undefined;
  if (typeof result?.ok !== "boolean" || typeof result.message !== "string") {
    return { kind: "unsupported", where, status };
  }
  return { kind: "answered", where, result: result as ReloadResult };
}

/**
 * The line a config-changing command prints about the running proxy: whether it picked the
 * change of `configPath` up. Never claims it did when it did not.
 */
export function describePickUp(outcome: ReloadOutcome, configPath: string): string {
  const { where } = outcome;
  switch (outcome.kind) {
    case "not_running":
      return `no proxy is running on ${where}; \`switchyard proxy\` will use this config`;
    case "refused":
      return `could not ask the proxy on ${where} to reload (HTTP ${outcome.status}: set SWITCHYARD_API_KEY to its client key); it reloads by itself when it watches this file, check with \`switchyard status\``;
    case "unsupported":
      return `the server on ${where} cannot reload (HTTP ${outcome.status}): restart the proxy to use this change`;
    case "unreachable":
      return `could not reach the proxy on ${where} (${outcome.why}); check with \`switchyard status\``;
    case "answered": {
      const { result } = outcome;
      if (resolve(result.configPath) !== resolve(configPath)) {
        return `the proxy on ${where} runs on ${result.configPath}, not this file: it did not pick this change up`;
      }
      if (!result.ok) {
        return `the proxy on ${where} did NOT pick this up and keeps serving its previous config: ${result.message}`;
      }
      return `the running proxy on ${where} picked it up (${result.message})`;
    }
  }
}

/** `switchyard reload`: make the running proxy read its config again now. */
export const reloadCommand = defineCommand({
  meta: {
    name: "reload",
    description: "Make the running proxy read its config and keys again (POST /admin/reload)",
  },
  args: {
    url: { type: "string", description: "Proxy URL (default: from port/host config)" },
    port: { type: "string", description: "Port of the running proxy (default 3456)" },
    host: { type: "string", description: "Host of the running proxy (default 127.0.0.1)" },
    ...configArg,
  },
  run: action(async ({ args }) => {
    const flags: ProxyAddressFlags = {};
    if (args.url !== undefined) flags.url = args.url;
    if (args.port !== undefined) flags.port = args.port;
    if (args.host !== undefined) flags.host = args.host;
    if (args.config !== undefined) flags.config = args.config;
    const outcome = await askProxyToReload({ env: process.env, flags });
    const { where } = outcome;
    switch (outcome.kind) {
      case "not_running":
        throw new CliError(
          "not_running",
          `no switchyard proxy on ${where} — start one with \`switchyard proxy\``,
        );
      case "refused":
        throw new CliError(
          "refused",
          `the proxy on ${where} refused the reload (HTTP ${outcome.status}); set SWITCHYARD_API_KEY to its client key`,
        );
      case "unsupported":
        throw new CliError(
          "failed",
          `the server on ${where} cannot reload (HTTP ${outcome.status}); is it a switchyard proxy of this version?`,
        );
      case "unreachable":
        throw new CliError("failed", `could not reach the proxy on ${where} (${outcome.why})`);
      case "answered":
        if (!outcome.result.ok) {
          throw new CliError(
            "failed",
            `the proxy on ${where} refused the new config and keeps serving the previous one: ${outcome.result.message}`,
          );
        }
        process.stdout.write(
          `reloaded ${outcome.result.configPath} on ${where}: ${outcome.result.message}\n`,
        );
    }
  }),
});
