import type { IncomingMessage } from "node:http";
import { REQUEST_LIMITS } from "@switchyard/openai-compat";
import type { AbortSignalLike } from "@switchyard/pool";
import { isTokenCount } from "../backends/token-count.js";
import type {
  Backend,
  BackendRequest,
  BackendResult,
  Dialect,
  Endpoint,
  ResponseSink,
} from "../backends/types.js";
import { sanitizeClientHeaders } from "./client-headers.js";
import { isClientRejection } from "./error-response.js";
import { parseJsonBody } from "./json-body.js";
import { ProxyError } from "./proxy-error.js";
import { readBody } from "./read-body.js";
import { noteUsage, type RequestLogEntry } from "./request-log.js";
import type { Router } from "./routing.js";
import type { RequestSession, SessionTracker } from "./session-tracker.js";
import { validateRequestBody, validateSessionHeaders } from "./validate-request.js";

/** What the API handler needs from the server. */
export interface ApiContext {
  router: Router;
  backends: ReadonlyMap<string, Backend>;
  maxBodyBytes: number;
  /** Recognises conversations (sticky pool key) and counts their usage. */
  sessions?: SessionTracker;
}

/**
 * Undoes what routing wrote for a request a backend refused before sending it anywhere (it
 * cannot be translated): its log entry names no backend, like a request that fails
 * validation, so no backend counts it as an error, and its conversation does not count it.
 */
function refused(
  entry: RequestLogEntry,
  session: RequestSession | undefined,
  sessions: SessionTracker | undefined,
): void {
  entry.route = undefined;
  entry.backend = undefined;
  entry.upstreamModel = undefined;
  entry.sessionKey = undefined;
  if (session !== undefined) sessions?.withdraw(session);
}

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Serves one `/v1/messages`, `/v1/messages/count_tokens`, `/v1/chat/completions`,
 * `/v1/responses` or `/v1/responses/input_tokens` call:
 * validate, parse, route, hand to the backend. Fills `entry` as it learns things.
 * Throws ProxyError for anything the client got wrong.
 */
export async function handleApi(options: {
  req: IncomingMessage;
  sink: ResponseSink;
  dialect: Dialect;
  endpoint: Endpoint;
  signal: AbortSignalLike;
  context: ApiContext;
  entry: RequestLogEntry;
}): Promise<void> {
  const { req, sink, dialect, endpoint, signal, context, entry } = options;
  const contentType = req.headers["content-type"] ?? "";
  if (!jsonType.test(contentType)) {
    throw new ProxyError("unsupported_media_type", "content-type must be application/json");
  }
  const raw = await readBody(req, context.maxBodyBytes);
  const { text, value: body } = parseJsonBody(raw, REQUEST_LIMITS.maxJsonDepth);
  // Before anything is logged, routed, hashed or charged: the caller's API is the judge.
  validateRequestBody(endpoint, body);
  validateSessionHeaders(req.headers);
  const requestedModel = body.model as string;
  entry.model = requestedModel;
  const decision = context.router.resolve(requestedModel);
  entry.route = decision.reason;
  entry.backend = decision.backend;
  entry.upstreamModel = decision.model;
  const backend = context.backends.get(decision.backend);
  if (backend === undefined) {
    throw new ProxyError(
      "backend_unavailable",
      `backend "${decision.backend}" is configured but its type is not available in this build of switchyard: update switchyard or remove the backend`,
    );
  }
  const stream = !isTokenCount(endpoint) && body.stream === true;
  entry.stream = stream;
  const unchanged = decision.model === requestedModel;
  if (!unchanged) body.model = decision.model;
  const request: BackendRequest = {
    dialect,
    endpoint,
    body,
    model: decision.model,
    requestedModel,
    stream,
    headers: sanitizeClientHeaders(req.headers),
    signal,
    response: sink,
  };
  // Forwarded as a string: undici writes head and body in one go (a Buffer body costs a
  // separate write), and for valid UTF-8 JSON the bytes are identical.
  if (unchanged) request.rawBody = text;
  // From the raw headers: the session headers are stripped from `request.headers`.
  const session = context.sessions?.identify({ headers: req.headers, body, dialect });
  if (session !== undefined) {
    request.sessionKey = session.key;
    entry.sessionKey = session.logKey;
  }
  let result: BackendResult;
  try {
    result = await backend.handle(request);
  } catch (error) {
    if (isClientRejection(error)) refused(entry, session, context.sessions);
    throw error;
  }
  if (session !== undefined && !isTokenCount(endpoint)) {
    context.sessions?.record(session, decision.backend, result);
  }
  entry.status = result.status;
  if (result.target !== undefined) entry.target = result.target;
  if (result.failovers !== undefined) entry.failovers = result.failovers;
  if (result.billingSignals !== undefined) entry.billingSignals = result.billingSignals;
  if (result.error !== undefined) entry.error = result.error;
  if (result.omitted !== undefined) entry.omitted = result.omitted;
  if (result.usage !== undefined) noteUsage(entry, result.usage);
}
