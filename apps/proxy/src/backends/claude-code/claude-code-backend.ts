import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AnthropicMessagesRequest } from "@switchyard/openai-compat";
import type { ClaudeCodeBackendConfig } from "../../config/types.js";
import { ProxyError } from "../../server/proxy-error.js";
import { cliBackendSurface } from "../cli-runner/backend-surface.js";
import { pickUsage } from "../cli-runner/response-writer.js";
import { type CliRun, createConcurrencyLimiter, runCli } from "../cli-runner/run-cli.js";
import {
  answerCountTokens,
  messagesBodyOf,
  responseWriterFor,
  throwIfAborted,
} from "../cli-runner/run-outcome.js";
import type { BackendFactory } from "../create-backends.js";
import type {
  Backend,
  BackendContext,
  BackendRequest,
  BackendResult,
  UsageSummary,
} from "../types.js";
import { assertNoClientTools, planClaudeRun } from "./build-run.js";
import { childEnvironment } from "./child-env.js";
import { classifyFailure } from "./classify-failure.js";
import { consumeRun, runSucceeded } from "./consume-run.js";
import { ClaudeCodeError, toProxyError } from "./errors.js";
import { type ClaudeQuotaCache, createClaudeQuotaCache } from "./quota-cache.js";
import type { ClaudeQuotaSignal } from "./quota-matcher.js";
import {
  type ClaudeSessionStore,
  fingerprintConversation,
  scopedSessionStore,
  sharedClaudeSessionStore,
} from "./session-store.js";

/** A quota signal as the backend reports it to `onQuotaSignal`. */
export type ClaudeQuotaEvent = ClaudeQuotaSignal & { backend: string };

/** What one finished run cost and produced, for usage analytics. */
export interface ClaudeRunReport {
  backend: string;
  /** The CLI session the run ended in (absent when the CLI never started one). */
  sessionId?: string;
  /** True when the run continued a known conversation with `--resume`. */
  resumed: boolean;
  ok: boolean;
  usage?: UsageSummary;
  /** The CLI's `total_cost_usd`: its list-price estimate, not what a subscription bills. */
  costUsd?: number;
  durationMs: number;
}

/** Options for {@link createClaudeCodeBackend}. */
export interface ClaudeCodeBackendOptions {
  name: string;
  config: ClaudeCodeBackendConfig;
  context: BackendContext;
  /** Switchyard home (session map, quota cache, default cwd). Default: the proxy's home, `context.home`. */
  home?: string;
  /**
   * Variables set over the child's environment (the user's, minus `WITHHELD_ENV`);
   * tests point `ANTHROPIC_BASE_URL` at a mock here.
   */
  env?: Record<string, string>;
  /** Called for every limit, exhaustion or warning signal (feed it to the overage guard). */
  onQuotaSignal?: (event: ClaudeQuotaEvent) => void;
  /** Called after every run that started, with its usage and the CLI's cost estimate. */
  onRunComplete?: (report: ClaudeRunReport) => void;
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

const DEFAULT_MODELS = ["default", "sonnet", "opus", "haiku"];

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
  const home = options.home ?? options.context.home;
  const binary = config.binary ?? "claude";
  const timeoutMs = config.timeoutMs ?? 600_000;
  const limiter = createConcurrencyLimiter(config.concurrency ?? 2);
  const now = options.now ?? Date.now;
  const quota = createClaudeQuotaCache({ home, now });
  // Conversations are keyed by backend too: backends may run different binaries or cwds, and a
  // CLI session of one is not found by another.
  const { store, release: releaseSessions } = sharedClaudeSessionStore({ home, now });
  const sessions = scopedSessionStore(store, name);
  const env = childEnvironment(process.env, options.env);
  let ready: Promise<{ cwd: string; promptDir: string }> | undefined;
  const active = new Set<CliRun>();

  const init = () => {
    ready ??= (async () => {
      // Default cwd: an empty directory of our own, so the CLI picks up no project CLAUDE.md
      // and `--resume` finds its sessions whatever directory the proxy started in.
      const cwd = config.cwd ?? join(home, "claude-code");
      if (config.cwd === undefined) await mkdir(cwd, { recursive: true, mode: 0o700 });
      const promptDir = await mkdtemp(join(tmpdir(), "switchyard-claude-"));
      await Promise.all([quota.load(), sessions.load()]);
      return { cwd, promptDir };
    })().catch((error: unknown) => {
      ready = undefined; // e.g. an unwritable home: try again on the next request
      throw error;
    });
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

  /** A resumed run found its CLI session gone: run again, replaying the history. */
  class StaleResume {}

  async function run(
    request: BackendRequest,
    body: AnthropicMessagesRequest,
  ): Promise<BackendResult> {
    try {
      return await runOnce(request, body, true);
    } catch (error) {
      if (!(error instanceof StaleResume)) throw error;
      return await runOnce(request, body, false);
    }
  }

  async function runOnce(
    request: BackendRequest,
    body: AnthropicMessagesRequest,
    resume: boolean,
  ): Promise<BackendResult> {
    // The session map must be loaded before planning, or a restarted proxy would not resume.
    const { cwd, promptDir } = await init();
    const plan = planClaudeRun(body, {
      model: request.model,
      ...(resume ? { lookup: sessions.lookup } : {}),
    });
    const release = await limiter.acquire(request.signal);
    const promptFile = join(promptDir, `${randomUUID()}.txt`);
    try {
      await writeFile(promptFile, plan.systemPrompt, { mode: 0o600 });
      const started = performance.now();
      const child = runCli({
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
      const writer = responseWriterFor(request);
      const consumed = await consumeRun(child.events, writer, signal);
      const { result } = consumed;
      const billing = consumed.billing.length > 0 ? { billingSignals: consumed.billing } : {};
      const exit = await child.exit;
      const report = (ok: boolean) => {
        if (options.onRunComplete === undefined) return;
        const usage = writer.usage();
        const sessionId = result?.session_id ?? consumed.initSessionId;
        try {
          options.onRunComplete({
            backend: name,
            resumed: plan.resumeSessionId !== undefined,
            ok,
            durationMs: Math.round(performance.now() - started),
            ...(sessionId === undefined ? {} : { sessionId }),
            ...(usage === undefined ? {} : { usage }),
            ...(typeof result?.total_cost_usd === "number"
              ? { costUsd: result.total_cost_usd }
              : {}),
          });
        } catch (error) {
          options.context.logger.warn(`onRunComplete threw: ${(error as Error).name}`);
        }
      };
      report(runSucceeded(consumed));
      await throwIfAborted(exit, request, writer);
      const cli = result;
      if (writer.interrupted) {
        // The CLI recovered, but the client already holds part of the cut-off answer.
        const proxyError = new ProxyError(
          "upstream_error",
          "the connection to the Anthropic API dropped mid-answer; the claude CLI retried, but part of the answer had already been streamed: send the request again",
          { status: 502 },
        );
        await writer.fail(proxyError);
        throw proxyError;
      }
      if (cli === undefined || !runSucceeded(consumed) || exit.timedOut) {
        const failure = classifyFailure({
          exit,
          ...(consumed.errorText === undefined ? {} : { errorText: consumed.errorText }),
          ...(consumed.errorTag === undefined ? {} : { errorTag: consumed.errorTag }),
          sawRateLimit: consumed.sawRateLimit,
          ...(consumed.lastRetryStatus === undefined
            ? {}
            : { lastRetryStatus: consumed.lastRetryStatus }),
          timeoutMs,
          binary,
        });
        // The CLI's transcript of the conversation is gone (cleaned up, another HOME or cwd):
        // nothing was sent yet, so the history is replayed in a fresh run instead.
        if (
          failure.code === "stale_session" &&
          plan.resumeSessionId !== undefined &&
          !writer.started
        ) {
          options.context.logger.info(
            `backend ${name}: CLI session ${plan.resumeSessionId} no longer exists; replaying the conversation`,
          );
          // Forget it, so the next request of this history does not try it again.
          sessions.forget(fingerprintConversation(plan.system, plan.conversation.slice(0, -1)));
          throw new StaleResume();
        }
        const proxyError = toProxyError(failure);
        // A started stream ends with an error event; rethrowing lets the request log record it.
        if (writer.started) await writer.fail(proxyError);
        throw proxyError;
      }
      if (writer.message() === undefined && typeof cli.result === "string") {
        await writer.pushText(cli.result, `msg_cc_${randomUUID().replaceAll("-", "")}`);
      }
      if (writer.message() === undefined) {
        throw toProxyError(
          new ClaudeCodeError("cli_failed", "the claude CLI finished without an answer"),
        );
      }
      await writer.finish(pickUsage(cli.usage));
      signal({ kind: "ok", source: "run", detail: "claude: run succeeded" });
      const answer = writer.message();
      if (typeof cli.session_id === "string" && answer !== undefined) {
        const conversation = [...plan.conversation, { role: "assistant", content: answer.content }];
        const usage = writer.usage();
        await sessions.remember(
          fingerprintConversation(plan.system, conversation),
          cli.session_id,
          {
            backend: name,
            ...(usage?.inputTokens === undefined ? {} : { inputTokens: usage.inputTokens }),
            ...(usage?.outputTokens === undefined ? {} : { outputTokens: usage.outputTokens }),
          },
        );
      }
      const usage = writer.usage();
      return {
        status: 200,
        target: name,
        ...(usage === undefined ? {} : { usage }),
        ...billing,
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
    ...cliBackendSurface({
      quota,
      models: config.models ?? DEFAULT_MODELS,
      active,
      releaseSessions: () => releaseSessions(),
      started: () => ready,
    }),
    async handle(request) {
      try {
        const answered = answerCountTokens(request, name);
        if (answered !== undefined) return answered;
        assertNoClientTools(request.body);
        const body = messagesBodyOf(request);
        return await run(request, body);
      } catch (error) {
        throw ClaudeCodeError.isInstance(error) ? toProxyError(error) : error;
      }
    },
  };
}

/** The factory to register for `"type": "claude-code"` in `backendFactories`. */
export const claudeCodeBackendFactory: BackendFactory = ({ name, config, context }) => {
  return createClaudeCodeBackend({ name, config: config as ClaudeCodeBackendConfig, context });
};
