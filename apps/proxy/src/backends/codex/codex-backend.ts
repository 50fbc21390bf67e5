import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AnthropicMessagesRequest } from "@switchyard/openai-compat";
import type { CodexBackendConfig } from "../../config/types.js";
import { childEnvironment } from "../claude-code/child-env.js";
import { type ClaudeQuotaCache, createClaudeQuotaCache } from "../claude-code/quota-cache.js";
import {
  type ClaudeSessionStore,
  fingerprintConversation,
  scopedSessionStore,
  sharedClaudeSessionStore,
} from "../claude-code/session-store.js";
import { cliBackendSurface } from "../cli-runner/backend-surface.js";
import { CliBackendError, cliErrorToProxyError } from "../cli-runner/cli-error.js";
import { type CliRun, createConcurrencyLimiter, runCli } from "../cli-runner/run-cli.js";
import {
  answerCountTokens,
  messagesBodyOf,
  responseWriterFor,
  throwIfAborted,
} from "../cli-runner/run-outcome.js";
import type { BackendFactory } from "../create-backends.js";
import type { Backend, BackendContext, BackendRequest, BackendResult } from "../types.js";
import { assertNoCodexClientTools, codexArgs, planCodexRun, requestedEffort } from "./build-run.js";
import { classifyCodexFailure } from "./classify-failure.js";
import { anthropicUsage, type CodexUsage, consumeCodexEvents } from "./consume-events.js";
import { listCodexMcpServers } from "./mcp-servers.js";
import type { CodexQuotaSignal } from "./quota-matcher.js";

/** File name of the codex quota cache under the switchyard home. */
export const CODEX_QUOTA_FILE = "codex-quota.json";
/** File name of the conversation → Codex thread map under the switchyard home. */
export const CODEX_SESSIONS_FILE = "codex-sessions.json";

/**
 * Inherited variables the child does NOT get: an API key would bill an API account instead of
 * the user's ChatGPT plan, and a base URL (often switchyard itself, so a shell's tools use the
 * proxy) would send the CLI back into switchyard in a loop. The proxy's own key is none of the
 * CLI's business. `CODEX_HOME`, `HOME` and the rest pass through as they are.
 */
export const CODEX_WITHHELD_ENV: readonly string[] = [
  "OPENAI_API_KEY",
  "CODEX_API_KEY",
  "OPENAI_BASE_URL",
  "SWITCHYARD_API_KEY",
];

/** A quota signal as the backend reports it to `onQuotaSignal`. */
export type CodexQuotaEvent = CodexQuotaSignal & { backend: string };

/** Options for {@link createCodexBackend}. */
export interface CodexBackendOptions {
  name: string;
  config: CodexBackendConfig;
  context: BackendContext;
  /** Switchyard home (thread map, quota cache, default cwd). Default `context.home`. */
  home?: string;
  /** Variables set over the child's environment; tests point `CODEX_HOME` at a temp dir here. */
  env?: Record<string, string>;
  /** Called for every limit or exhaustion signal (feed it to the overage guard). */
  onQuotaSignal?: (event: CodexQuotaEvent) => void;
  /** Clock for the quota cache and thread map. Default `Date.now`. */
  now?: () => number;
  /** SIGTERM → SIGKILL grace when a run is stopped. Default 2000. */
  killGraceMs?: number;
}

/** The codex backend, with its quota cache and thread map exposed for status and routing. */
export interface CodexBackend extends Backend {
  readonly quota: ClaudeQuotaCache;
  readonly sessions: ClaudeSessionStore;
}

const DEFAULT_MODELS = ["default"];

/** A forked run found its Codex thread gone: run again, replaying the history. */
class StaleThread {}

/**
 * The `codex` backend: each request is one run of the official Codex CLI (`codex exec
 * --json`), under the user's own Codex login (a ChatGPT plan). It never reads Codex's auth
 * files and never calls OpenAI or ChatGPT itself.
 *
 * @example
 * const backend = createCodexBackend({ name: "codex", config: { type: "codex" }, context });
 */
export function createCodexBackend(options: CodexBackendOptions): CodexBackend {
  const { name, config } = options;
  const home = options.home ?? options.context.home;
  const binary = config.binary ?? "codex";
  const timeoutMs = config.timeoutMs ?? 600_000;
  const limiter = createConcurrencyLimiter(config.concurrency ?? 2);
  const now = options.now ?? Date.now;
  const quota = createClaudeQuotaCache({ path: join(home, CODEX_QUOTA_FILE), now });
  const shared = sharedClaudeSessionStore({ path: join(home, CODEX_SESSIONS_FILE), now });
  const sessions = scopedSessionStore(shared.store, name);
  const env = childEnvironment(process.env, options.env, CODEX_WITHHELD_ENV);
  const active = new Set<CliRun>();
  let ready: Promise<{ cwd: string; promptDir: string; mcpServers: string[] }> | undefined;

  const init = () => {
    ready ??= (async () => {
      // Default cwd: an empty directory of our own, so no project AGENTS.md or skills are
      // picked up and a fork finds its thread whatever directory the proxy started in.
      const cwd = config.cwd ?? join(home, "codex");
      if (config.cwd === undefined) await mkdir(cwd, { recursive: true, mode: 0o700 });
      const [mcpServers] = await Promise.all([
        listCodexMcpServers({ binary, cwd, env }),
        quota.load(),
        sessions.load(),
      ]);
      const promptDir = await mkdtemp(join(tmpdir(), "switchyard-codex-"));
      return { cwd, promptDir, mcpServers };
    })().catch((error: unknown) => {
      ready = undefined; // e.g. the CLI not installed yet: try again on the next request
      throw error;
    });
    return ready;
  };

  const signal = (s: CodexQuotaSignal) => {
    void quota.record(s);
    if (s.kind === "ok") return;
    try {
      options.onQuotaSignal?.({ ...s, backend: name });
    } catch (error) {
      options.context.logger.warn(`onQuotaSignal threw: ${(error as Error).name}`);
    }
  };

  async function runOnce(
    request: BackendRequest,
    body: AnthropicMessagesRequest,
    resume: boolean,
  ): Promise<BackendResult> {
    // The thread map must be loaded before planning, or a restarted proxy would not resume.
    const { cwd, promptDir, mcpServers } = await init();
    const effort = requestedEffort(request.body);
    const plan = planCodexRun(body, {
      model: request.model,
      ...(effort === undefined ? {} : { effort }),
      ...(resume ? { lookup: sessions.lookup } : {}),
    });
    const historyKey = fingerprintConversation(plan.system, plan.conversation.slice(0, -1));
    const release = await limiter.acquire(request.signal);
    const instructionsFile = join(promptDir, `${randomUUID()}.txt`);
    try {
      await writeFile(instructionsFile, plan.instructions, { mode: 0o600 });
      const child = runCli({
        binary,
        args: codexArgs(plan, { instructionsFile, mcpServers, extra: config.args ?? [] }),
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
      const parent = plan.resumeSessionId === undefined ? undefined : sessions.data(historyKey);
      const previousUsage = parent?.codexUsage as CodexUsage | undefined;
      const consumed = await consumeCodexEvents(child.events, {
        writer,
        model: request.model,
        messageId: `msg_codex_${randomUUID().replaceAll("-", "")}`,
        onSignal: signal,
        ...(previousUsage === undefined ? {} : { previousUsage }),
      });
      const exit = await child.exit;
      await throwIfAborted(exit, request, writer);
      if (!consumed.completed || exit.timedOut) {
        const failure = classifyCodexFailure({
          exit,
          timeoutMs,
          binary,
          now: now(),
          ...(consumed.errorText === undefined ? {} : { errorText: consumed.errorText }),
        });
        // The CLI no longer has the thread (its sessions were cleaned up, another CODEX_HOME):
        // nothing was sent yet, so the history is replayed in a fresh run instead.
        if (failure.code === "stale_session" && plan.resumeSessionId !== undefined) {
          if (!writer.started) {
            options.context.logger.info(
              `backend ${name}: Codex thread ${plan.resumeSessionId} no longer exists; replaying the conversation`,
            );
            sessions.forget(historyKey);
            throw new StaleThread();
          }
        }
        const proxyError = cliErrorToProxyError(failure);
        // A started stream ends with an error event; rethrowing lets the request log record it.
        if (writer.started) await writer.fail(proxyError);
        throw proxyError;
      }
      const totals = consumed.usage;
      const turn = consumed.turnUsage;
      await writer.finish(turn === undefined ? undefined : anthropicUsage(turn));
      signal({ kind: "ok", source: "run", detail: "codex: run succeeded" });
      const answer = writer.message();
      const usage = writer.usage();
      if (consumed.threadId !== undefined && answer !== undefined) {
        const conversation = [...plan.conversation, { role: "assistant", content: answer.content }];
        await sessions.remember(
          fingerprintConversation(plan.system, conversation),
          consumed.threadId,
          {
            backend: name,
            ...(usage?.inputTokens === undefined ? {} : { inputTokens: usage.inputTokens }),
            ...(usage?.outputTokens === undefined ? {} : { outputTokens: usage.outputTokens }),
          },
          totals === undefined ? {} : { codexUsage: totals },
        );
      }
      return { status: 200, target: name, ...(usage === undefined ? {} : { usage }) };
    } finally {
      release();
      await rm(instructionsFile, { force: true }).catch(() => {});
    }
  }

  return {
    name,
    type: "codex",
    quota,
    sessions,
    ...cliBackendSurface({
      quota,
      models: config.models ?? DEFAULT_MODELS,
      active,
      releaseSessions: () => shared.release(),
      started: () => ready,
    }),
    async handle(request) {
      try {
        const answered = answerCountTokens(request, name);
        if (answered !== undefined) return answered;
        assertNoCodexClientTools(request.body);
        const body = messagesBodyOf(request);
        try {
          return await runOnce(request, body, true);
        } catch (error) {
          if (!(error instanceof StaleThread)) throw error;
          return await runOnce(request, body, false);
        }
      } catch (error) {
        throw CliBackendError.isInstance(error) ? cliErrorToProxyError(error) : error;
      }
    },
  };
}

/** The factory to register for `"type": "codex"` in `backendFactories`. */
export const codexBackendFactory: BackendFactory = ({ name, config, context }) =>
  createCodexBackend({ name, config: config as CodexBackendConfig, context });
