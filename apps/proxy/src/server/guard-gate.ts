import type { IncomingHttpHeaders } from "node:http";
import {
  type CheckResult,
  createHaltErrorBody,
  HALT_HTTP_STATUS,
  haltRetryAfterSeconds,
  matchOverageHeaders,
  matchUpstreamResponse,
  type OverageGuard,
  type PriceTable,
  type Reservation,
  type SignalKind,
  type SignalMatch,
} from "@switchyard/overage-guard";
import { isTokenCount } from "../backends/token-count.js";
import type {
  Backend,
  BackendRequest,
  BackendResult,
  ResponseSink,
  UsageSummary,
} from "../backends/types.js";
import type { UsageEntry } from "../usage/record.js";
import { errorToResponse, isClientRejection, toProxyError } from "./error-response.js";
import { HoldingSink } from "./holding-sink.js";
import { ProxyError } from "./proxy-error.js";
import { estimateRequestCostUsd, requestSessionKey, usageCostUsd } from "./usage-cost.js";

/**
 * A halt lasts until a resume, a cooldown or the budget's next window: a client's automatic
 * retries (Claude Code's go on for minutes) cannot end it, so it says `x-should-retry: false`
 * unless it ends within a minute. A request refused only because others are in flight against
 * the same budget may succeed a moment later, and stays retryable.
 */
export function haltHeaders(code: string, retryAfter: number | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  if (code === "halted" && (retryAfter === undefined || retryAfter > 60))
    headers["x-should-retry"] = "false";
  return headers;
}

/** What the server knows about a request before it reaches a backend (keyed by its sink). */
export interface RequestTrack {
  /** The client's raw headers (for the session key; never stored). */
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the request arrived. */
  started: number;
  /** Set by the gate: the request's cost (null: unknown price), for the request log. */
  costUsd?: number | null;
  /** Set by the gate: billing signals it saw. */
  billing?: string[];
  /** Set by the gate when the overage guard refused the request (`halted`, `budget_in_flight`). */
  denied?: string;
}

/** Where each request's {@link RequestTrack} is kept, looked up by the request's sink. */
export interface RequestTracks {
  get(sink: ResponseSink): RequestTrack | undefined;
  set(sink: ResponseSink, track: RequestTrack): void;
}

const trackSlot = Symbol("switchyard.requestTrack");
type TrackedSink = ResponseSink & { [trackSlot]?: RequestTrack };

/**
 * Keeps each request's track on its own sink, in a symbol-keyed slot, so it dies with the
 * sink. Not a WeakMap: an entry per request is an ephemeron that every young-generation GC
 * has to process (at 10k requests/s, ~5 µs a request less CPU without it, in paired runs).
 */
export function createRequestTracks(): RequestTracks {
  return {
    get: (sink) => (sink as TrackedSink)[trackSlot],
    set: (sink, track) => {
      (sink as TrackedSink)[trackSlot] = track;
    },
  };
}

/** Options of {@link createGuardGate}. */
export interface GuardGateOptions {
  /** Absent when `overageGuard.enabled` is false: requests are only measured and logged. */
  guard?: OverageGuard;
  prices: PriceTable;
  /**
   * The price table for one backend, when it is not `prices` (local backends are priced only
   * by the config's own prices). Default: `prices` for every backend.
   */
  pricesFor?: (backend: string) => PriceTable;
  /** Hands one usage record to the log's writer (it reaches the file within its window). */
  record(entry: UsageEntry): void;
  tracks: RequestTracks;
  /**
   * Whether any budget is configured (default true). Without one, requests are only checked
   * against signal halts: no cost estimate (it reads the whole body, ~1 ms per 100 KB) and no
   * spend committed (each commit rewrites the guard's state file).
   */
  budgeted?: boolean;
}

const signalKinds = new Set<string>([
  "payment-required",
  "insufficient-quota",
  "credits-exhausted",
  "overage-billed",
  "usage-limit",
]);

/** Signals a backend reported itself (`billingSignals`), as overage-guard kinds. */
function signalsFromResult(billing: readonly string[] | undefined): SignalMatch[] {
  const out: SignalMatch[] = [];
  for (const s of billing ?? []) {
    if (signalKinds.has(s)) out.push({ kind: s as SignalKind, detail: `backend reported ${s}` });
    // The claude-code backend reports paid extra usage as `claude-code:<kind>-overage`.
    else if (s.endsWith("-overage")) {
      out.push({ kind: "overage-billed", detail: "backend reported paid overage usage" });
    }
  }
  return out;
}

/** The upstream's verdict, reconstructed from the error a backend threw for a non-2xx answer. */
function signalFromError(error: unknown): SignalMatch | undefined {
  if (!ProxyError.isInstance(error)) return undefined;
  // A backend that recognised the signal itself (e.g. claude-code's "out of extra usage").
  const reported = signalsFromResult(error.billingSignals)[0];
  if (reported !== undefined) return reported;
  if (error.code !== "upstream_error") return undefined;
  const { upstream } = error;
  return matchUpstreamResponse({
    status: error.status,
    body: { error: { type: upstream?.type, code: upstream?.code, message: error.message } },
  });
}

const isCountTokens = (request: BackendRequest) => isTokenCount(request.endpoint);

/** One usage record, built directly (this runs for every request). */
function usageEntry(
  name: string,
  request: BackendRequest,
  track: RequestTrack | undefined,
  started: number,
  status: number,
  usage: UsageSummary | undefined,
  costUsd: number | null,
  billing: string[] | undefined,
  target?: string,
  error?: string,
): UsageEntry {
  const out: UsageEntry = {
    backend: name,
    model: request.model,
    status,
    latencyMs: performance.now() - started,
    costUsd,
  };
  // The server's session tracker already derived and hashed the key; reuse it.
  if (request.sessionKey !== undefined) out.sessionHash = request.sessionKey;
  else {
    const session = requestSessionKey(request, track?.headers ?? request.headers);
    if (session !== undefined) out.session = session;
  }
  if (usage !== undefined) {
    if (usage.inputTokens !== undefined) out.inputTokens = usage.inputTokens;
    if (usage.outputTokens !== undefined) out.outputTokens = usage.outputTokens;
    if (usage.cacheReadTokens !== undefined) out.cacheReadTokens = usage.cacheReadTokens;
    if (usage.cacheWriteTokens !== undefined) out.cacheWriteTokens = usage.cacheWriteTokens;
  }
  if (billing !== undefined && billing.length > 0) out.billing = billing;
  if (target !== undefined) out.target = target;
  if (error !== undefined) out.error = error;
  return out;
}

/**
 * Wraps backends so that every API request passes the overage guard: `reserve()` with an
 * estimated cost before it goes upstream (a denial answers 503 in the caller's dialect), then
 * `commit()` of the cost computed from the backend's final usage, billing signals (402,
 * `insufficient_quota`, credit exhaustion, overage headers) fed to `guard.signal()`, and one
 * usage record, all before the client sees the response complete (the record is handed to the
 * log's writer, which puts it on file within its write window). Token counts (`count_tokens`,
 * `/v1/responses/input_tokens`) cost nothing and pass untouched.
 */
export function createGuardGate(options: GuardGateOptions) {
  const { guard, record, tracks, budgeted = true } = options;
  const pricesFor = options.pricesFor ?? (() => options.prices);

  const handle = async (
    name: string,
    inner: Backend,
    request: BackendRequest,
  ): Promise<BackendResult> => {
    if (isCountTokens(request)) return inner.handle(request);
    const track = tracks.get(request.response);
    const started = track?.started ?? performance.now();
    const prices = pricesFor(name);

    let reservation: Reservation | undefined;
    if (guard !== undefined) {
      const scope = { backend: name, model: request.model };
      let decision: CheckResult;
      if (budgeted) {
        const estimatedCostUsd = estimateRequestCostUsd(request, prices);
        const reserved = guard.reserve({ ...scope, estimatedCostUsd });
        if (reserved.allowed) reservation = reserved.reservation;
        decision = reserved;
      } else decision = guard.check(scope);
      if (!decision.allowed) {
        if (track) {
          track.costUsd = 0;
          track.denied = decision.code;
        }
        record(
          usageEntry(name, request, track, started, HALT_HTTP_STATUS, undefined, 0, undefined),
        );
        // A halt is on disk (fsynced, renamed into place) before a 503 announces it, so a
        // crash right after cannot restart un-halted.
        if (decision.code === "halted") await guard.flush();
        const retryAfter = haltRetryAfterSeconds(decision);
        request.response.json(
          HALT_HTTP_STATUS,
          createHaltErrorBody(decision, request.dialect),
          haltHeaders(decision.code, retryAfter),
        );
        return { status: HALT_HTTP_STATUS };
      }
    }

    const holding = new HoldingSink(request.response);
    // The request object is this request's own: swap its sink rather than copy it.
    request.response = holding;
    let result: BackendResult;
    try {
      result = await inner.handle(request);
    } catch (error) {
      if (holding.status === 0 && isClientRejection(error)) {
        // Refused before anything went upstream (the request cannot be translated): like a
        // request that fails validation, it costs nothing and leaves no usage record.
        reservation?.release();
        holding.release();
        throw error;
      }
      const signal = signalFromError(error);
      if (signal !== undefined) guard?.signal({ ...signal, backend: name });
      // The status the client got (as the request log says), else what it would have got; a
      // client that left before any answer: 499.
      const closed = ProxyError.isInstance(error) && error.code === "client_closed";
      const status =
        holding.status || (closed ? 499 : errorToResponse(error, request.dialect).status);
      const billing = signal === undefined ? undefined : [signal.kind];
      // A stream that failed after the upstream reported usage: those tokens were billed.
      const usage = ProxyError.isInstance(error) ? error.usage : undefined;
      const costUsd = usage === undefined ? null : usageCostUsd(request.model, usage, prices);
      if (usage === undefined) reservation?.release();
      else reservation?.commit(costUsd ?? 0);
      if (track) {
        track.costUsd = costUsd;
        if (billing !== undefined) track.billing = billing;
      }
      // An answer that had started (its status went out) failed or was left: say why in the
      // record (`client_closed` for a client that went away; not counted as an error).
      const failure = holding.status !== 0 ? toProxyError(error).code : undefined;
      record(
        usageEntry(
          name,
          request,
          track,
          started,
          status,
          usage,
          costUsd,
          billing,
          undefined,
          failure,
        ),
      );
      holding.release();
      throw error;
    }

    const status = result.status;
    const overage = matchOverageHeaders(holding.headers, holding.status || status);
    const reported = result.billingSignals;
    // Usually there is no billing signal at all: no arrays are made for that case. When there
    // is one, `billing` holds at least it.
    let billing: string[] | undefined;
    if (overage !== undefined || (reported !== undefined && reported.length > 0)) {
      const signals = signalsFromResult(reported);
      if (overage !== undefined) signals.push(overage);
      for (const signal of signals) guard?.signal({ ...signal, backend: name });
      billing = [...new Set([...(reported ?? []), ...signals.map((s) => s.kind)])];
    }
    const costUsd = usageCostUsd(request.model, result.usage, prices);
    if (reservation !== undefined) {
      if (status >= 400) reservation.release();
      // No usage came back: count the estimate, so a budget over-counts rather than under-counts.
      else reservation.commit(costUsd ?? (result.usage ? 0 : reservation.estimatedCostUsd));
    }
    if (track) {
      track.costUsd = costUsd;
      if (billing !== undefined) track.billing = billing;
    }
    record(
      usageEntry(
        name,
        request,
        track,
        started,
        status,
        result.usage,
        costUsd,
        billing,
        result.target,
        result.error,
      ),
    );
    holding.release();
    return billing === undefined ? result : { ...result, billingSignals: billing };
  };

  return {
    /** The same backends, each behind the guard and the usage log. */
    wrap(backends: ReadonlyMap<string, Backend>): Map<string, Backend> {
      const out = new Map<string, Backend>();
      for (const [name, backend] of backends) {
        const wrapped: Backend = Object.create(backend);
        wrapped.handle = (request) => handle(name, backend, request);
        out.set(name, wrapped);
      }
      return out;
    },
  };
}
