import { defineCommand } from "citty";
import { lazyCommand } from "./lazy.js";
import { SWITCHYARD_VERSION } from "./version.js";

/** The `switchyard` command table; each command's module is imported only when used. */
export const main = defineCommand({
  meta: {
    name: "switchyard",
    version: SWITCHYARD_VERSION,
    description: "A local LLM router: one endpoint that speaks the OpenAI and Anthropic APIs",
  },
  subCommands: {
    proxy: lazyCommand({ name: "proxy", description: "Start the proxy server" }, () =>
      import("./proxy.js").then((m) => m.proxyCommand),
    ),
    backend: lazyCommand({ name: "backend", description: "Add, list or remove backends" }, () =>
      import("./backend.js").then((m) => m.backendCommand),
    ),
    login: lazyCommand(
      { name: "login", description: "Sign in to a backend (OpenRouter, or an OIDC auth block)" },
      () => import("./login.js").then((m) => m.loginCommand),
    ),
    logout: lazyCommand(
      {
        name: "logout",
        description: "Sign out of a backend (revokes where the issuer supports it)",
      },
      () => import("./login.js").then((m) => m.logoutCommand),
    ),
    status: lazyCommand({ name: "status", description: "Show what a running proxy is doing" }, () =>
      import("./status.js").then((m) => m.statusCommand),
    ),
    top: lazyCommand(
      { name: "top", description: "Watch a running proxy live: rates, requests, headroom, guard" },
      () => import("./top.js").then((m) => m.topCommand),
    ),
    doctor: lazyCommand(
      { name: "doctor", description: "Check config, backends, credentials and ports" },
      () => import("./doctor.js").then((m) => m.doctorCommand),
    ),
    usage: lazyCommand(
      { name: "usage", description: "Show requests, tokens and cost from the usage log" },
      () => import("./usage.js").then((m) => m.usageCommand),
    ),
    resume: lazyCommand(
      { name: "resume", description: "Resume a proxy the overage guard halted" },
      () => import("./resume.js").then((m) => m.resumeCommand),
    ),
    reload: lazyCommand(
      { name: "reload", description: "Make the running proxy read its config and keys again" },
      () => import("./reload.js").then((m) => m.reloadCommand),
    ),
    dashboard: lazyCommand(
      { name: "dashboard", description: "Open the running proxy's web dashboard" },
      () => import("./dashboard.js").then((m) => m.dashboardCommand),
    ),
    mcp: lazyCommand(
      { name: "mcp", description: "Run the MCP server for editors on stdio (switchyard-mcp)" },
      () => import("./mcp.js").then((m) => m.mcpCommand),
    ),
    run: lazyCommand(
      { name: "run", description: "Run a tool with its base URLs pointed at the proxy" },
      () => import("./run.js").then((m) => m.runCommand),
    ),
    capture: lazyCommand(
      {
        name: "capture",
        description: "Record a tool's exchanges as HAR; show, diff, export captures",
      },
      () => import("./capture.js").then((m) => m.captureCommand),
    ),
    config: lazyCommand(
      { name: "config", description: "Show the effective config and where each value came from" },
      () => import("./config.js").then((m) => m.configCommand),
    ),
  },
});
