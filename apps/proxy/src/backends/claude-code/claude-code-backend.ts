import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AnthropicMessagesRequest,
  type AnthropicStreamEvent,
  type AnthropicUsage,
  convertOpenAIRequestToAnthropic,
  estimateInputTokens,
  type OpenAIChatRequest,
} from "@switchyard/openai-compat";
import { resolveHome } from "../../config/home.js";
import type { ClaudeCodeBackendConfig } from "../../config/types.js";
import { ProxyError } from "../../server/proxy-error.js";
import type { BackendFactory } from "../create-backends.js";
import type { Backend, BackendContext, BackendRequest, BackendResult } from "../types.js";
import { planClaudeRun } from "./build-run.js";
import { childEnvironment } from "./child-env.js";
import { classifyFailure } from "./classify-failure.js";
import { type ClaudeCliResult, isCliResult } from "./cli-events.js";
import { ClaudeCodeError, toProxyError } from "./errors.js";
import { type ClaudeQuotaCache, createClaudeQuotaCache } from "./quota-cache.js";
import { type ClaudeQuotaSignal, quotaSignalFromCliEvent } from "./quota-matcher.js";
import { createResponseWriter } from "./response-writer.js";
import { type ClaudeRun, createConcurrencyLimiter, runClaude } from "./run-claude.js";
import {
  type ClaudeSessionStore,
  createClaudeSessionStore,
  fingerprintConversation,
} from "./session-store.js";

/** A quota signal as the backend reports it to `onQuotaSignal`. */
export type ClaudeQuotaEvent = ClaudeQuotaSignal & { backend: string };

/** Options for {@link createClaudeCodeBackend}. */
export interface ClaudeCodeBackendOptions {
  name: string;
  config: ClaudeCodeBackendConfig;
  context: BackendContext;
  /** Switchyard home (session map, quota cache, default cwd). Default `$SWITCHYARD_HOME` or `~/.switchyard`. */
  home?: string;
  /**
   * Variables set over the child's environment (the user's, minus `WITHHELD_ENV`);
   * tests point `ANTHROPIC_BASE_URL` at a mock here.
   */
  env?: Record<string, string>;
  /** Called for every limit, exhaustion or warning signal (feed it to the overage guard). */
  onQuotaSignal?: (event: ClaudeQuotaEvent) => void;
  /** Clock for the quota cache and session map. Default `Date.now`. */
  now?: () => number;
  /** SIGTERM → SIGKILL grace when a run is stopped. Default 2000. */
  killGraceMs?: number;
}

/** The claude-code backend, with its quota cache and session map exposed for status and routing. */
export interface ClaudeCodeBackend extends Backend {
  readonly quota: ClaudeQuotaCache;
  readonly sessions: ClaudeSessionStore;
}

/** The CLI's result usage has many extra fields; the answer carries the standard four. */
function pickUsage(
  usage: Record<string, unknown> | undefined,
): Partial<AnthropicUsage> | undefined {
  if (usage === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const key of [
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
  ]) {
    const v = usage[key];
    if (typeof v === "number" && Number.isFinite(v)) out[key] = v;
  }
  return out as Partial<AnthropicUsage>;
}

const DEFAULT_MODELS = ["default", "sonnet", "opus", "haiku"];

function hasClientTools(body: Record<string, unknown>): boolean {
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  return nonEmpty(body.tools) || nonEmpty(body.functions);
}

/**
 * The `claude-code` backend: each request is one run of the official `claude` CLI
 * (`claude -p --output-format stream-json`), under the user's own Claude Code login.
 * It never reads Claude Code's credentials or config and never calls Anthropic itself.
 *
 * @example
 * const backend = createClaudeCodeBackend({ name: "claude", config: { type: "claude-code" }, context });
 */
export function createClaudeCodeBackend(options: ClaudeCodeBackendOptions): ClaudeCodeBackend {
  const { name, config } = options;
  const home = options.home ?? resolveHome(process.env);
  const binary = config.binary ?? "claude";
  const timeoutMs = config.timeoutMs ?? 600_000;
  const limiter = createConcurrencyLimiter(config.concurrency ?? 2);
  const now = options.now ?? Date.now;
  const quota = createClaudeQuotaCache({ home, now });
  const sessions = createClaudeSessionStore({ home, now });
  const env = childEnvironment(process.env, options.env);
  let ready: Promise<{ cwd: string; promptDir: string }> | undefined;
  const active = new Set<ClaudeRun>();

  const init = () => {
    ready ??= (async () => {
      // Default cwd: an empty directory of our own, so the CLI picks up no project CLAUDE.md
      // and `--resume` finds its sessions whatever directory the proxy started in.
      const cwd = config.cwd ?? join(home, "claude-code");
      if (config.cwd === undefined) await mkdir(cwd, { recursive: true, mode: 0o700 });
      const promptDir = await mkdtemp(join(tmpdir(), "switchyard-claude-"));
      await Promise.all([quota.load(), sessions.load()]);
      return { cwd, promptDir };
    })();
    return ready;
  };

  const signal = (s: ClaudeQuotaSignal) => {
    void quota.record(s);
    if (s.kind !== "ok") {
      try {
        options.onQuotaSignal?.({ ...s, backend: name });
      } catch (error) {
        options.context.logger.warn(`onQuotaSignal threw: ${(error as Error).name}`);
      }
    }
  };

  async function run(
    request: BackendRequest,
    body: AnthropicMessagesRequest,
  ): Promise<BackendResult> {
    const plan = planClaudeRun(body, { model: request.model, lookup: sessions.lookup });
    const { cwd, promptDir } = await init();
    const release = await limiter.acquire(request.signal);
    const promptFile = join(promptDir, `${randomUUID()}.txt`);
    try {
      await writeFile(promptFile, plan.systemPrompt, { mode: 0o600 });
      const child = runClaude({
        binary,
        args: [...plan.args, "--system-prompt-file", promptFile, ...(config.args ?? [])],
        stdin: plan.stdin,
        cwd,
        env,
        signal: request.signal,
        timeoutMs,
        ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
      });
      active.add(child);
      void child.exit.then(() => active.delete(child));
      const openai = request.body as { stream_options?: { include_usage?: unknown } };
      const writer = createResponseWriter({
        dialect: request.dialect,
        stream: request.stream,
        sink: request.response,
        model: request.model,
        includeUsage: openai.stream_options?.include_usage === true,
      });
      let result: ClaudeCliResult | undefined;
      let errorText: string | undefined;
      let errorTag: string | undefined;
      let sawRateLimit = false;
      const billing = new Set<string>();
      for await (const event of child.events) {
        if (event.type === "stream_event") {
          if (event.parent_tool_use_id == null && event.event !== undefined) {
            await writer.push(event.event as AnthropicStreamEvent);
          }
        } else if (isCliResult(event)) {
          result = event;
          if (event.is_error === true && typeof event.result === "string")
            errorText ??= event.result;
        } else if (
          event.type === "assistant" &&
          (event.error !== undefined || event.is_api_error_message)
        ) {
          const content = (event.message as { content?: Array<{ text?: unknown }> } | undefined)
            ?.content;
          errorText = content?.map((b) => (typeof b.text === "string" ? b.text : "")).join("\n");
          if (typeof event.error === "string") errorTag = event.error;
        }
        const quotaSignal = quotaSignalFromCliEvent(event);
        if (quotaSignal !== undefined) {
          if (quotaSignal.kind === "rate-limited") sawRateLimit = true;
          if (quotaSignal.overage === true) billing.add(`claude-code:${quotaSignal.kind}-overage`);
          signal(quotaSignal);
        }
      }
      const exit = await child.exit;
      if (exit.aborted || request.signal.aborted) {
        throw new ProxyError("client_closed", "client closed the connection");
      }
      const cli = result;
      const succeeded =
        cli !== undefined && cli.is_error !== true && errorText === undefined && !exit.timedOut;
      if (!succeeded) {
        const failure = classifyFailure({
          exit,
          ...(errorText === undefined ? {} : { errorText }),
          ...(errorTag === undefined ? {} : { errorTag }),
          sawRateLimit,
          timeoutMs,
          binary,
        });
        const proxyError = toProxyError(failure);
        if (writer.started) {
          await writer.fail(proxyError);
          return {
            status: 200,
            target: name,
            ...(billing.size > 0 ? { billingSignals: [...billing] } : {}),
          };
        }
        throw proxyError;
      }
      if (writer.message() === undefined && typeof cli.result === "string") {
        await writer.pushText(cli.result, `msg_cc_${randomUUID().replaceAll("-", "")}`);
      }
      await writer.finish(pickUsage(cli.usage));
      signal({ kind: "ok", source: "run", detail: "claude: run succeeded" });
      const answer = writer.message();
      if (typeof cli.session_id === "string" && answer !== undefined) {
        const conversation = [...plan.conversation, { role: "assistant", content: answer.content }];
        await sessions.remember(fingerprintConversation(plan.system, conversation), cli.session_id);
      }
      const usage = writer.usage();
      return {
        status: 200,
        target: name,
        ...(usage === undefined ? {} : { usage }),
        ...(billing.size > 0 ? { billingSignals: [...billing] } : {}),
      };
    } finally {
      release();
      await rm(promptFile, { force: true }).catch(() => {});
    }
  }

  return {
    name,
    type: "claude-code",
    quota,
    sessions,
    async listModels() {
      return (config.models ?? DEFAULT_MODELS).map((id) => ({ id }));
    },
    async handle(request) {
      try {
        if (request.endpoint === "count_tokens") {
          // No CLI run: the CLI has no token-counting mode, so this is openai-compat's estimate.
          const estimate = estimateInputTokens(request.body as unknown as AnthropicMessagesRequest);
          request.response.json(200, estimate);
          return { status: 200, target: name, usage: { inputTokens: estimate.input_tokens } };
        }
        if (hasClientTools(request.body)) {
          throw new ClaudeCodeError(
            "client_tools",
            "the claude-code backend does not run client-defined tools: it reaches Claude through the Claude Code CLI, which runs only its own tools (disabled here). Remove `tools` or route this request to an API backend.",
          );
        }
        const body =
          request.dialect === "openai"
            ? convertOpenAIRequestToAnthropic(request.body as unknown as OpenAIChatRequest, {
                unsupportedParameters: "drop",
              })
            : (request.body as unknown as AnthropicMessagesRequest);
        return await run(request, body);
      } catch (error) {
        throw ClaudeCodeError.isInstance(error) ? toProxyError(error) : error;
      }
    },
    async close() {
      for (const child of active) child.kill();
      await Promise.all([...active].map((child) => child.exit));
      const state = await ready?.catch(() => undefined);
      if (state !== undefined) await rm(state.promptDir, { recursive: true, force: true });
    },
  };
}

/** The factory to register for `"type": "claude-code"` in `backendFactories`. */
export const claudeCodeBackendFactory: BackendFactory = ({ name, config, context }) => {
  // Uses the context's `home` when the server provides one, else the same env/default rule.
  const home = (context as BackendContext & { home?: unknown }).home;
  return createClaudeCodeBackend({
    name,
    config: config as ClaudeCodeBackendConfig,
    context,
    ...(typeof home === "string" ? { home } : {}),
  });
};
