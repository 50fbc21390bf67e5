import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { OAuthError } from "./oauth-error.js";

/** Options of {@link startLoopbackListener}. */
export interface LoopbackListenerOptions {
  /** Path of the redirect URI. Default `/callback`. */
  path?: string;
  /** Port to listen on. Default 0: an ephemeral port chosen by the OS (RFC 8252 §7.3). */
  port?: number;
  /** Give up waiting after this long. Default 300000 (5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The one redirect the listener received. */
export interface LoopbackRedirect {
  /** The full redirect URL as the browser sent it (query included). */
  url: URL;
  /** Answers the browser's tab (after the code exchange, so the page tells the truth) and closes the listener. */
  finish(outcome: { ok: boolean; message?: string }): void;
}

/** A one-shot redirect listener on 127.0.0.1. */
export interface LoopbackListener {
  /** `http://127.0.0.1:<port><path>`: register or send this exact value. */
  redirectUri: string;
  /** Resolves with the first request to the exact redirect path. */
  wait(): Promise<LoopbackRedirect>;
  /** Stops listening (idempotent). */
  close(): void;
}

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The small page the browser tab shows; it never echoes the query (code, state, error text). */
function page(ok: boolean, message: string | undefined): string {
  const title = ok ? "Signed in" : "Sign-in failed";
  const body = ok
    ? "You can close this tab and return to the terminal."
    : `${escapeHtml(message ?? "Something went wrong")}. Return to the terminal for details.`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui;margin:3em"><h1>${title}</h1><p>${body}</p></body></html>`;
}

/**
 * Starts a one-shot HTTP listener on 127.0.0.1 (an IP literal, not `localhost`: RFC 8252 §8.3)
 * for an authorization redirect. Only a GET to the exact path counts; anything else gets a
 * 404. After the first redirect it stops accepting connections and closes once the page
 * is sent.
 * @example
 * const listener = await startLoopbackListener();
 * // send listener.redirectUri as redirect_uri, open the browser, then:
 * const { url, finish } = await listener.wait();
 */
export async function startLoopbackListener(
  options: LoopbackListenerOptions = {},
): Promise<LoopbackListener> {
  const { path = "/callback", port = 0, timeoutMs = 300_000, signal } = options;
  let settle: { resolve(r: LoopbackRedirect): void; reject(e: unknown): void } | undefined;
  const received = new Promise<LoopbackRedirect>((resolve, reject) => {
    settle = { resolve, reject };
  });
  received.catch(() => {}); // observed through wait()
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${actualPort()}`);
    if (done || req.method !== "GET" || url.pathname !== path) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    done = true;
    clearTimeout(timer);
    server.close(); // no new connections; this one stays until finish()
    let finished = false;
    settle?.resolve({
      url,
      finish({ ok, message }) {
        if (finished) return;
        finished = true;
        res.writeHead(ok ? 200 : 400, { ...PAGE_HEADERS, connection: "close" });
        res.end(page(ok, message), () => server.closeAllConnections());
      },
    });
  });

  const close = () => {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  };
  const fail = (error: OAuthError) => {
    if (done) return;
    done = true;
    close();
    settle?.reject(error);
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(
        new OAuthError({
          code: "invalid_input",
          message: `cannot listen on 127.0.0.1:${port}`,
          cause: error,
        }),
      ),
    );
    server.listen(port, "127.0.0.1", resolve);
  });
  const actualPort = () => {
    const address = server.address();
    return typeof address === "object" && address !== null ? address.port : port;
  };
  timer = setTimeout(
    () => fail(new OAuthError({ code: "expired", message: "no sign-in arrived in time" })),
    timeoutMs,
  );
  timer.unref();
  if (signal !== undefined) {
    if (signal.aborted) fail(new OAuthError({ code: "aborted", message: "sign-in aborted" }));
    signal.addEventListener(
      "abort",
      () => fail(new OAuthError({ code: "aborted", message: "sign-in aborted" })),
      { once: true },
    );
  }

  return {
    redirectUri: `http://127.0.0.1:${actualPort()}${path}`,
    wait: () => received,
    close,
  };
}
