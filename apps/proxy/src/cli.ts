import { defineCommand, runMain } from "citty";
import { lazyCommand } from "./cli/lazy.js";
import { SWITCHYARD_VERSION } from "./cli/version.js";

/** The `switchyard` command table; each command's module is imported only when used. */
export const main = defineCommand({
  meta: {
    name: "switchyard",
    version: SWITCHYARD_VERSION,
    description: "A local LLM router: one endpoint that speaks the OpenAI and Anthropic APIs",
  },
  subCommands: {
    proxy: lazyCommand({ name: "proxy", description: "Start the proxy server" }, () =>
      import("./cli/proxy.js").then((m) => m.proxyCommand),
    ),
    backend: lazyCommand({ name: "backend", description: "Add, list or remove backends" }, () =>
      import("./cli/backend.js").then((m) => m.backendCommand),
    ),
    status: lazyCommand({ name: "status", description: "Show what a running proxy is doing" }, () =>
      import("./cli/status.js").then((m) => m.statusCommand),
    ),
    doctor: lazyCommand(
      { name: "doctor", description: "Check config, backends, credentials and ports" },
      () => import("./cli/doctor.js").then((m) => m.doctorCommand),
    ),
    usage: lazyCommand(
      { name: "usage", description: "Show requests, tokens and cost from the usage log" },
      () => import("./cli/usage.js").then((m) => m.usageCommand),
    ),
    resume: lazyCommand(
      { name: "resume", description: "Resume a proxy the overage guard halted" },
      () => import("./cli/resume.js").then((m) => m.resumeCommand),
    ),
    mcp: lazyCommand(
      { name: "mcp", description: "Run the MCP server for editors on stdio (switchyard-mcp)" },
      () => import("./cli/mcp.js").then((m) => m.mcpCommand),
    ),
    config: lazyCommand(
      { name: "config", description: "Show the effective config and where each value came from" },
      () => import("./cli/config.js").then((m) => m.configCommand),
    ),
  },
});

await runMain(main);
