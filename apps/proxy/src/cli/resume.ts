import { defineCommand } from "citty";
import type { ProxyAddressFlags } from "../config/address.js";
import type { SwitchyardEnv } from "../config/home.js";
import type { requestOnce } from "../undici.js";
import { action, CliError } from "./action.js";
import { addressFlags, postToProxy } from "./admin-post.js";
import { proxyAddressArgs } from "./common-args.js";

/** Options of {@link runResume}. */
export interface RunResumeOptions {
  env: SwitchyardEnv;
  flags?: ProxyAddressFlags;
  /** HTTP client (undici via `requestOnce`; not `fetch`, which refuses some ports). */
  request?: typeof requestOnce;
  timeoutMs?: number;
}

/**
 * POST `/admin/resume` to the running proxy (found like every command: flag > env > config >
 * default 127.0.0.1:3456), presenting the client key as `x-api-key`. Returns the line to print.
 */
export async function runResume(options: RunResumeOptions): Promise<string> {
  const { status, text, where } = await postToProxy({
    env: options.env,
    flags: options.flags,
    path: "/admin/resume",
    timeoutMs: options.timeoutMs ?? 5000,
    request: options.request,
  });
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (status === 401 || status === 403) {
    throw new CliError(
      "refused",
      `the proxy on ${where} refused the resume (HTTP ${status}); set SWITCHYARD_API_KEY to its client key`,
    );
  }
  if (status === 404 || status === 501) {
    throw new CliError("failed", `the proxy on ${where} does not support resume (HTTP ${status})`);
  }
  if (status < 200 || status >= 300) {
    throw new CliError("failed", `resume failed on ${where}: HTTP ${status}`);
  }
  // Switchyard answers `{ resumed: boolean, halts: [...], state }`; anything else is another
  // program on that port, and saying "resumed" would be a lie.
  if (typeof body?.resumed !== "boolean") {
    throw new CliError(
      "not_running",
      `the server on ${where} is not a switchyard proxy (its answer to POST /admin/resume is not switchyard's); check --port/--url`,
    );
  }
  if (body.resumed === false) {
    return `the overage guard is disabled on the switchyard proxy on ${where}; nothing to resume\n`;
  }
  const halts = Array.isArray(body.halts) ? body.halts.length : undefined;
  if (halts === 0) return `switchyard proxy on ${where} was not halted; nothing to resume\n`;
  if (halts !== undefined)
    return `resumed switchyard proxy on ${where} (${halts} halt${halts === 1 ? "" : "s"} lifted)\n`;
  return `resumed switchyard proxy on ${where}\n`;
}

/** `switchyard resume`: lift the overage guard's halt on the running proxy. */
export const resumeCommand = defineCommand({
  meta: {
    name: "resume",
    description: "Resume a proxy the overage guard halted (POST /admin/resume)",
  },
  args: proxyAddressArgs,
  run: action(async ({ args }) => {
    process.stdout.write(await runResume({ env: process.env, flags: addressFlags(args) }));
  }),
});
