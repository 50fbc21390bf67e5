import { SwitchyardMcpError } from "./mcp-error.js";

/** What {@link createAdminClient} takes. */
export interface AdminClientOptions {
  /** The proxy's base URL, e.g. `http://127.0.0.1:3456`. */
  baseUrl: string;
  /** `host:port` for messages; default derived from `baseUrl`. */
  address?: string;
  /** Sent as `x-api-key` when set. */
  apiKey?: string;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Per-call timeout for admin reads. Default 5000. */
  timeoutMs?: number;
}

/** Per-call options. */
export interface AdminRequestOptions {
  /** Overrides the client's timeout (e.g. for `ask_model`). */
  timeoutMs?: number;
  /** The MCP request's signal: a client's `notifications/cancelled` aborts the call. */
  signal?: AbortSignal;
}

/** A small JSON client for the proxy's HTTP admin API. */
export interface AdminClient {
  /** `host:port` of the proxy, for messages. */
  readonly address: string;
  /** GETs a path (with query) and returns the parsed JSON body. */
  get(path: string, options?: AdminRequestOptions): Promise<unknown>;
  /** POSTs a JSON body and returns the parsed JSON body. */
  post(path: string, body?: unknown, options?: AdminRequestOptions): Promise<unknown>;
}

// Connection-level failures that mean "nothing is listening there".
const DOWN_CODES = new Set([
  "ECONNREFUSED", // no listener on the port
  "ECONNRESET", // listener went away mid-request
  "ENOTFOUND", // host name does not resolve
  "EHOSTUNREACH", // no route to host
  "EADDRNOTAVAIL", // address not local / not routable
  "UND_ERR_SOCKET", // undici: socket closed before a response
]);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && current && typeof current === "object"; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function upstreamMessage(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const err = (body as { error?: unknown }).error;
  const msg =
    typeof err === "string"
      ? err
      : err && typeof err === "object"
        ? (err as { message?: unknown }).message
        : (body as { message?: unknown }).message;
  return typeof msg === "string" ? msg.slice(0, 300) : undefined;
}

/**
 * Creates a client for the running proxy's admin API that turns every failure into a
 * {@link SwitchyardMcpError} with a message a person can act on.
 *
 * @example
 * const admin = createAdminClient({ baseUrl: "http://127.0.0.1:3456" });
 * const status = await admin.get("/status");
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const { apiKey, fetch: doFetch = globalThis.fetch, timeoutMs = 5000 } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const address = options.address ?? new URL(baseUrl).host;

  async function request(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    opts: AdminRequestOptions = {},
  ): Promise<unknown> {
    const limit = opts.timeoutMs ?? timeoutMs;
    const headers: Record<string, string> = { accept: "application/json" };
    if (apiKey) headers["x-api-key"] = apiKey;
    if (body !== undefined) headers["content-type"] = "application/json";
    const timeout = AbortSignal.timeout(limit);
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    /** The error for an aborted call: the client cancelled it, or it timed out. */
    const aborted = (cause: unknown) =>
      opts.signal?.aborted
        ? new SwitchyardMcpError("cancelled", `${method} ${path} was cancelled by the client`, {
            cause,
          })
        : new SwitchyardMcpError(
            "timeout",
            `the switchyard proxy on ${address} did not answer ${method} ${path} within ${Math.round(limit / 100) / 10} s`,
            { cause },
          );
    let res: Response;
    try {
      res = await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      const name = (error as { name?: string })?.name;
      if (name === "TimeoutError" || name === "AbortError" || signal.aborted) {
        throw aborted(error);
      }
      const code = errorCode(error);
      if (code === undefined || DOWN_CODES.has(code)) {
        throw new SwitchyardMcpError(
          "proxy_down",
          `no switchyard proxy running on ${address} — start one with \`switchyard proxy\``,
          { cause: error },
        );
      }
      throw new SwitchyardMcpError(
        "proxy_down",
        `cannot reach the switchyard proxy on ${address} (${code})`,
        {
          cause: error,
        },
      );
    }
    let text: string;
    try {
      // Under the same signal: a body that stalls is a timeout, not "something not JSON".
      text = await res.text();
    } catch (error) {
      if (signal.aborted) throw aborted(error);
      text = "";
    }
    let parsed: unknown;
    let parsedOk = false;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
      parsedOk = text !== "";
    } catch {
      parsedOk = false;
    }
    const detail = upstreamMessage(parsed);
    if (res.status === 401) {
      throw new SwitchyardMcpError(
        "unauthorized",
        apiKey
          ? "the proxy rejected the API key — check SWITCHYARD_API_KEY (or the config's apiKey)"
          : "the proxy needs an API key — set SWITCHYARD_API_KEY",
        { status: res.status },
      );
    }
    if (res.status === 403) {
      // Not a key problem: the proxy refused the Host or Origin (DNS-rebinding protection).
      throw new SwitchyardMcpError(
        "unauthorized",
        `the switchyard proxy on ${address} refused ${method} ${path.split("?")[0]}${detail ? `: ${detail}` : ""}`,
        { status: res.status, ...(detail ? { detail } : {}) },
      );
    }
    if (res.status === 404 || res.status === 501) {
      // 501: a reserved admin endpoint this build of the proxy does not implement yet.
      throw new SwitchyardMcpError(
        "not_found",
        `the switchyard proxy on ${address} does not offer ${method} ${path.split("?")[0]} (${res.status}; is it an older version?)`,
        { status: res.status, detail },
      );
    }
    if (!res.ok) {
      throw new SwitchyardMcpError(
        "http_error",
        `the switchyard proxy answered ${method} ${path.split("?")[0]} with ${res.status}${detail ? `: ${detail}` : ""}`,
        { status: res.status, detail },
      );
    }
    if (!parsedOk) {
      throw new SwitchyardMcpError(
        "bad_response",
        `the switchyard proxy answered ${method} ${path.split("?")[0]} with something that is not JSON`,
        { status: res.status },
      );
    }
    return parsed;
  }

  return {
    address,
    get: (path, opts) => request("GET", path, undefined, opts),
    post: (path, body, opts) => request("POST", path, body ?? {}, opts),
  };
}
