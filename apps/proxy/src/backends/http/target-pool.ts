import type { AbortSignalLike, HeaderReader, ResponseAccessor } from "@switchyard/pool";
import {
  createPool,
  discardResponse,
  type Pool,
  PoolError,
  type PoolSnapshot,
} from "@switchyard/pool";
import type { TimeoutConfig } from "../../config/types.js";
import { ProxyError } from "../../server/proxy-error.js";
import type { Logger } from "../types.js";
import type { HttpTarget } from "./http-target.js";
import {
  createUpstreamClient,
  type UpstreamClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from "./upstream.js";

/** One upstream call, minus the signal (the pool supplies it). */
export type TargetCall = Omit<UpstreamRequest, "signal">;

/** What {@link TargetPool.send} resolves to. */
export interface PooledResponse {
  /** Status and headers known, body unread: nothing has reached the client yet. */
  response: UpstreamResponse;
  target: HttpTarget;
  /** Targets tried and abandoned before this one. */
  failovers: number;
}

/** The targets of one HTTP backend behind a `@switchyard/pool`. */
export interface TargetPool {
  /**
   * Sends one request to the best target, failing over on 429/5xx/connection errors before
   * any byte reaches the client. Resolves with a 2xx or a non-retryable status (e.g. 400) as
   * is; throws a ProxyError `upstream_rate_limited` (429 + `retry-after`) when every target is
   * rate limited or cooling down.
   */
  send(options: {
    stickyKey?: string | undefined;
    signal: AbortSignalLike;
    /** Builds the call for one target (URL and credential are per target). */
    build(target: HttpTarget): TargetCall;
    estimatedTokens?: number | undefined;
  }): Promise<PooledResponse>;
  /** The first target and its client (model listing). */
  first(): { target: HttpTarget; client: UpstreamClient } | undefined;
  /** Live per-target state: headroom, cooldown, breaker, counters. Never a URL or a key. */
  snapshot(): PoolSnapshot;
  close(): Promise<void>;
}

/** Options for {@link createTargetPool}. */
export interface TargetPoolOptions {
  /** The backend name (error messages, logs). */
  backend: string;
  targets: HttpTarget[];
  timeouts: Required<TimeoutConfig>;
  logger?: Logger;
  /** Injectable clock (tests). */
  now?: () => number;
}

type Member = HttpTarget & { client: UpstreamClient };

/**
 * Whether the pool's rate-limit parsers (`defaultParsers`: OpenAI's `x-ratelimit-*`,
 * Anthropic's `anthropic-ratelimit-*`, `retry-after`/`retry-after-ms`) read a header of this
 * name. `target-pool.test.ts` checks every name those parsers ask for passes.
 */
export function isRateLimitHeader(name: string): boolean {
  return (
    name.startsWith("x-ratelimit-") ||
    name.startsWith("anthropic-ratelimit-") ||
    name.startsWith("retry-after")
  );
}

const noHeader: HeaderReader = () => undefined;

/**
 * How the pool reads an upstream answer. undici gives header names in lower case, so the
 * generic accessor's case folding is not needed; and most answers carry no rate-limit header
 * at all: one pass over the names finds that, and the parsers' twenty-odd lookups then cost
 * nothing.
 */
export const upstreamAccessor: ResponseAccessor<UpstreamResponse> = {
  status: (response) => response.status,
  headers(response) {
    const headers = response.headers;
    for (const name in headers) {
      if (isRateLimitHeader(name)) {
        return (key) => {
          const value = headers[key];
          return value === undefined || typeof value === "string" ? value : value.join(", ");
        };
      }
    }
    return noHeader;
  },
};

/**
 * Creates the pool of an HTTP backend: one keep-alive upstream client per target (each with
 * its own per-origin undici pool and credential). A backend with one target never fails over
 * or cools down: the upstream's own answer (status, `retry-after`, message) reaches the client
 * as before, and the pool only observes its rate-limit headers.
 */
export function createTargetPool(options: TargetPoolOptions): TargetPool {
  const { backend, targets, timeouts, logger } = options;
  const several = targets.length > 1;
  const members: Member[] = targets.map((t) => ({
    ...t,
    client: createUpstreamClient({
      backend: several ? `${backend} (target ${t.id})` : backend,
      timeouts,
    }),
  }));
  const pool: Pool<Member> | undefined =
    members.length === 0
      ? undefined
      : createPool<Member>({
          targets: members,
          accessor: upstreamAccessor as ResponseAccessor<never>,
          ...(options.now === undefined ? {} : { now: options.now }),
          // Each failover tries a target not yet tried; past that the client gets a prompt
          // 429 with the time the first target comes back, instead of a long wait.
          maxAttempts: Math.min(3, members.length),
          ...(several
            ? {}
            : { isRetryableStatus: () => false, isRetryableError: () => false, maxAttempts: 1 }),
        });
  if (pool !== undefined && several && logger !== undefined) {
    pool.on("failover", (e) => {
      logger.info(
        `backend ${backend}: target ${e.from} failed (${e.status ?? e.error ?? "error"}), failing over`,
      );
    });
  }

  return {
    async send({ stickyKey, signal, build, estimatedTokens }) {
      if (pool === undefined) {
        throw new ProxyError(
          "upstream_unreachable",
          `backend ${backend} has no baseUrl or targets configured`,
          { status: 500 },
        );
      }
      // The last failed attempt is kept (not discarded) so that, when every target failed
      // with a server error, the client still gets that upstream's status and message.
      let lastFailed: { response: UpstreamResponse; target: HttpTarget } | undefined;
      let lastTarget: HttpTarget | undefined;
      let lastError: unknown;
      const keep = (response: UpstreamResponse) => {
        if (lastFailed !== undefined) discardResponse(lastFailed.response);
        lastFailed = lastTarget === undefined ? undefined : { response, target: lastTarget };
      };
      const remember = (error: unknown): never => {
        lastError = error;
        throw error;
      };
      try {
        const result = await pool.run(
          // One target: there is nothing to stick to; no hash, lookup or binding per request.
          several ? stickyKey : undefined,
          // Not an async function: the client's own promise plus a rejection handler costs
          // less per request than an async frame awaiting it (~300 B and ~1 µs, same-process).
          (member, attempt) => {
            lastError = undefined;
            lastTarget = member;
            try {
              // `build` makes a fresh object per call: add the signal to it rather than copy it.
              const call = build(member) as UpstreamRequest;
              call.signal = attempt.signal;
              return member.client.request(call).then(undefined, remember);
            } catch (error) {
              return remember(error);
            }
          },
          estimatedTokens === undefined
            ? { signal, discard: keep }
            : { signal, discard: keep, estimatedTokens },
        );
        if (lastFailed !== undefined) discardResponse(lastFailed.response);
        return { response: result.response, target: result.target, failovers: result.failovers };
      } catch (error) {
        const failed = lastFailed;
        if (
          PoolError.isInstance(error) &&
          error.code === "exhausted" &&
          failed !== undefined &&
          error.lastStatus !== undefined &&
          error.lastStatus !== 429
        ) {
          // Every target failed and the last one with a server error: pass that answer on.
          return { response: failed.response, target: failed.target, failovers: error.failovers };
        }
        if (failed !== undefined) discardResponse(failed.response);
        throw toProxyFailure({ error, backend, signal, lastError });
      }
    },
    first() {
      const m = members[0];
      return m === undefined ? undefined : { target: m, client: m.client };
    },
    snapshot() {
      return pool === undefined
        ? { at: Date.now(), targets: [], bindings: 0, queued: 0 }
        : pool.snapshot();
    },
    async close() {
      await Promise.all(members.map((m) => m.client.close()));
    },
  };
}

/** Maps a pool failure: the client's abort, the last connection error, or a 429. */
function toProxyFailure(options: {
  error: unknown;
  backend: string;
  signal: AbortSignalLike;
  lastError: unknown;
}): unknown {
  const { error, backend, signal, lastError } = options;
  if (!PoolError.isInstance(error)) return error;
  if (error.code === "aborted") return signal.reason ?? lastError ?? error;
  if (error.code !== "exhausted") {
    return new ProxyError("internal", "internal error in switchyard", { cause: error });
  }
  // The last attempt could not connect (or timed out): say so rather than "rate limited".
  if (error.attempts > 0 && error.lastStatus === undefined && lastError !== undefined) {
    return lastError;
  }
  const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
  return new ProxyError(
    "upstream_rate_limited",
    `every target of backend ${backend} is rate limited or cooling down; retry in ${seconds}s`,
    { status: 429, retryAfter: String(seconds), cause: error },
  );
}

/** A cheap upper-bound token guess for a request body (about four bytes a token). */
export function estimateTokens(body: string | Uint8Array): number {
  return Math.ceil((typeof body === "string" ? body.length : body.byteLength) / 4);
}
