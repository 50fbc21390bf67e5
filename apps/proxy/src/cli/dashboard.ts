import { spawn } from "node:child_process";
import { defineCommand } from "citty";
import type { ProxyAddressFlags } from "../config/address.js";
import type { SwitchyardEnv } from "../config/home.js";
import type { requestOnce } from "../undici.js";
import { action, CliError } from "./action.js";
import { addressFlags, postToProxy } from "./admin-post.js";
import { proxyAddressArgs } from "./common-args.js";

/** Options of {@link runDashboard}. */
export interface RunDashboardOptions {
  env: SwitchyardEnv & { BROWSER?: string; DISPLAY?: string; WAYLAND_DISPLAY?: string };
  flags?: ProxyAddressFlags;
  /** Print the URL only, never start a browser. */
  noOpen?: boolean;
  platform?: NodeJS.Platform;
  request?: typeof requestOnce;
  /** Starts the browser; resolves false when it could not. */
  open?: (command: string, url: string) => Promise<boolean>;
  timeoutMs?: number;
}

/** The program that opens a URL here, or undefined where there is none (a headless box). */
export function browserCommand(
  env: RunDashboardOptions["env"],
  platform: NodeJS.Platform,
): string | undefined {
  if (env.BROWSER) return env.BROWSER;
  if (platform === "darwin") return "open";
  if (platform === "win32") return "explorer";
  return env.DISPLAY || env.WAYLAND_DISPLAY ? "xdg-open" : undefined;
}

/** Runs `command url` detached; false when it cannot be started. */
function openWith(command: string, url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, [url], { detached: true, stdio: "ignore" });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}

/**
 * Gets a one-time login code from the running proxy (`POST /ui/login-code`, presenting the
 * client key as `x-api-key`) and opens `/ui/login?code=…` in the browser, or prints it where
 * there is no browser. The code works once, within a minute; the browser trades it for an
 * HttpOnly session cookie, so the key itself never reaches the page. Returns what to print.
 */
export async function runDashboard(options: RunDashboardOptions): Promise<string> {
  const { status, text, url, where } = await postToProxy({
    env: options.env,
    flags: options.flags,
    path: "/ui/login-code",
    timeoutMs: options.timeoutMs ?? 5000,
    request: options.request,
  });
  if (status === 401 || status === 403) {
    throw new CliError(
      "refused",
      `the proxy on ${where} refused a dashboard login (HTTP ${status}); set SWITCHYARD_API_KEY to its client key`,
    );
  }
  let path: unknown;
  try {
    path = (JSON.parse(text) as { path?: unknown }).path;
  } catch {
    path = undefined;
  }
  if (status !== 200 || typeof path !== "string" || !path.startsWith("/ui/login?code=")) {
    throw new CliError(
      "failed",
      `the proxy on ${where} has no dashboard (HTTP ${status} to POST /ui/login-code); update switchyard`,
    );
  }
  const link = `${url}${path}`;
  const command = options.noOpen
    ? undefined
    : browserCommand(options.env, options.platform ?? process.platform);
  const opened = command !== undefined && (await (options.open ?? openWith)(command, link));
  const note = "(a one-time login link: it works once, within a minute)";
  return opened
    ? `opened the switchyard dashboard in your browser: ${link}\n${note}\n`
    : `open the switchyard dashboard: ${link}\n${note}\n`;
}

/** `switchyard dashboard`: open the web dashboard of the running proxy. */
export const dashboardCommand = defineCommand({
  meta: {
    name: "dashboard",
    description:
      "Open the running proxy's web dashboard (prints the link where there is no browser)",
  },
  args: {
    ...proxyAddressArgs,
    open: {
      type: "boolean",
      default: true,
      description: "Start a browser (--no-open prints the link only)",
    },
  },
  run: action(async ({ args }) => {
    process.stdout.write(
      await runDashboard({
        env: process.env,
        flags: addressFlags(args),
        noOpen: args.open === false,
      }),
    );
  }),
});
