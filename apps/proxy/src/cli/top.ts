import { defineCommand } from "citty";
import { resolveProxyAddress } from "../config/address.js";
import { action, CliError } from "./action.js";
import { proxyAddressArgs } from "./common-args.js";
import { runResume } from "./resume.js";

/** `switchyard top`: the live full-screen terminal view of a running proxy. */
export const topCommand = defineCommand({
  meta: {
    name: "top",
    description: "Watch a running proxy live: rates, requests, headroom, guard (full screen)",
  },
  args: {
    ...proxyAddressArgs,
    interval: {
      type: "string",
      description: "Refresh every N seconds (default 1)",
      valueHint: "seconds",
    },
    view: {
      type: "string",
      description: "View to open: overview, requests, headroom or guard (default overview)",
      valueHint: "name",
    },
  },
  run: action(async ({ args }) => {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new CliError(
        "usage",
        "switchyard top needs a terminal; for scripts use `switchyard status --json`",
      );
    }
    const interval = args.interval === undefined ? 1 : Number(args.interval);
    if (!Number.isFinite(interval) || interval < 0.2 || interval > 60) {
      throw new CliError("usage", "--interval must be a number of seconds from 0.2 to 60");
    }
    const views = ["overview", "requests", "headroom", "guard"];
    const view = args.view === undefined ? 0 : views.indexOf(args.view);
    if (view < 0) throw new CliError("usage", `--view must be one of ${views.join(", ")}`);
    const flags = { url: args.url, port: args.port, host: args.host, config: args.config };
    const address = await resolveProxyAddress({ flags, env: process.env });
    const { runTop } = await import("../top/top-app.js");
    process.exitCode = await runTop({
      url: address.url,
      apiKey: address.apiKey,
      resume: () =>
        runResume({
          env: process.env,
          flags: { url: address.url, ...(address.apiKey ? { apiKey: address.apiKey } : {}) },
        }),
      stdin: process.stdin,
      stdout: process.stdout,
      intervalMs: interval * 1000,
      // no-color.org: a non-empty NO_COLOR turns colour off.
      color: !process.env.NO_COLOR && process.env.TERM !== "dumb",
      view,
    });
  }),
});
