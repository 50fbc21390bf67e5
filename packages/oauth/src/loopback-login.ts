import { createAuthorizationRequest, exchangeAuthorizationCode } from "./authorization-code.js";
import type { ServerContext } from "./internal/context.js";
import { startLoopbackListener } from "./loopback-listener.js";
import { OAuthError } from "./oauth-error.js";
import type { TokenSet } from "./token-set.js";

/** Options of {@link loginWithLoopback}. */
export interface LoopbackLoginOptions {
  /** Opens the URL in a browser where there is one; a rejection is ignored (the URL is also given to `onUrl`). */
  openBrowser?: (url: string) => Promise<void> | void;
  /** Shown the URL to open (print it: the browser may not open, e.g. over SSH). */
  onUrl?: (url: string) => void;
  /** How long to wait for the redirect. Default 300000. */
  timeoutMs?: number;
  /** A fixed port, when the provider does not allow any port on 127.0.0.1. Default: ephemeral. */
  port?: number;
  signal?: AbortSignal;
  extraParams?: Record<string, string>;
}

/**
 * Authorization code + PKCE S256 with a one-shot loopback redirect (RFC 8252 §7.3): listens
 * on 127.0.0.1 on an ephemeral port, opens the browser, checks `state`, exchanges the code,
 * then tells the tab it can be closed.
 */
export async function loginWithLoopback(
  context: ServerContext,
  options: LoopbackLoginOptions = {},
): Promise<TokenSet> {
  const listener = await startLoopbackListener({
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  try {
    const request = await createAuthorizationRequest(context, {
      redirectUri: listener.redirectUri,
      ...(options.extraParams === undefined ? {} : { extraParams: options.extraParams }),
    });
    const url = request.url.href;
    options.onUrl?.(url);
    // Not awaited: a browser launcher may not return until the tab closes. A failure only
    // means there is no browser here; the user opens the printed URL.
    const { openBrowser } = options;
    if (openBrowser !== undefined) {
      Promise.resolve()
        .then(() => openBrowser(url))
        .catch(() => {});
    }
    const redirect = await listener.wait();
    try {
      const tokens = await exchangeAuthorizationCode(context, {
        response: redirect.url,
        request,
      });
      redirect.finish({ ok: true });
      return tokens;
    } catch (error) {
      redirect.finish({
        ok: false,
        message: OAuthError.isInstance(error) ? `Sign-in failed (${error.code})` : "Sign-in failed",
      });
      throw error;
    }
  } finally {
    listener.close();
  }
}
