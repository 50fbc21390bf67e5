import { createPkcePair, parsePastedAnswer, startLoopbackListener } from "@switchyard/oauth";
import { CliError } from "../cli/action.js";

/** OpenRouter's PKCE endpoints, derived from a backend's `baseUrl` (`…/api/v1`). */
export interface OpenRouterEndpoints {
  /** The page the user signs in on: `…/auth`. */
  authUrl: string;
  /** Where the code is exchanged for a key: `…/api/v1/auth/keys`. */
  keysUrl: string;
}

/**
 * `https://openrouter.ai/api/v1` → `https://openrouter.ai/auth` and
 * `https://openrouter.ai/api/v1/auth/keys`, so a mirror (or a test) can point both elsewhere.
 */
export function openRouterEndpoints(baseUrl: string): OpenRouterEndpoints {
  const base = baseUrl.replace(/\/+$/, "");
  if (!base.endsWith("/api/v1")) {
    throw new CliError(
      "usage",
      `the backend's baseUrl must end in /api/v1 (like https://openrouter.ai/api/v1), got ${new URL(base).origin}…`,
    );
  }
  return { authUrl: `${base.slice(0, -"/api/v1".length)}/auth`, keysUrl: `${base}/auth/keys` };
}

/** Options of {@link loginOpenRouter}. */
export interface OpenRouterLoginOptions {
  baseUrl: string;
  /** Headless: print the URL and read back the address the browser landed on (or the code). */
  manual?: { prompt: (url: string) => Promise<string>; callbackUrl?: string };
  onUrl: (url: string) => void;
  openBrowser?: (url: string) => Promise<void> | void;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * OpenRouter's PKCE flow: the user approves switchyard on OpenRouter's page, which redirects
 * to a one-shot 127.0.0.1 listener with a `code`; the code and the verifier are exchanged for a
 * user-controlled API key. OpenRouter needs no client registration; there is no `state` in its
 * flow, and PKCE S256 binds the code to this run (a code injected by anyone else fails the
 * exchange). Resolves with the key: store it, never print it.
 */
export async function loginOpenRouter(options: OpenRouterLoginOptions): Promise<string> {
  const { authUrl, keysUrl } = openRouterEndpoints(options.baseUrl);
  const pkce = await createPkcePair();
  const url = (callbackUrl: string) => {
    const u = new URL(authUrl);
    u.searchParams.set("callback_url", callbackUrl);
    u.searchParams.set("code_challenge", pkce.codeChallenge);
    u.searchParams.set("code_challenge_method", "S256");
    return u.href;
  };

  let code: string;
  if (options.manual !== undefined) {
    const pasted = await options.manual.prompt(
      url(options.manual.callbackUrl ?? "http://127.0.0.1:3000/callback"),
    );
    code = codeFrom(parsePastedAnswer(pasted).params);
  } else {
    const listener = await startLoopbackListener({ timeoutMs: options.timeoutMs ?? 300_000 });
    try {
      const target = url(listener.redirectUri);
      options.onUrl(target);
      if (options.openBrowser !== undefined) {
        const open = options.openBrowser;
        Promise.resolve()
          .then(() => open(target))
          .catch(() => {});
      }
      const redirect = await listener.wait();
      try {
        code = codeFrom(redirect.url.searchParams);
        const key = await exchange(keysUrl, code, pkce.codeVerifier, options.fetch);
        redirect.finish({ ok: true });
        return key;
      } catch (error) {
        redirect.finish({ ok: false, message: "Sign-in failed" });
        throw error;
      }
    } catch (error) {
      if (CliError.isInstance(error)) throw error;
      throw new CliError("failed", `OpenRouter sign-in: ${(error as Error).message}`);
    } finally {
      listener.close();
    }
  }
  return exchange(keysUrl, code, pkce.codeVerifier, options.fetch);
}

function codeFrom(params: URLSearchParams): string {
  const error = params.get("error");
  if (error !== null) throw new CliError("failed", `OpenRouter sign-in was refused (${error})`);
  const code = params.get("code");
  if (!code) throw new CliError("failed", "OpenRouter sent no code back");
  return code;
}

async function exchange(
  keysUrl: string,
  code: string,
  codeVerifier: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(keysUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, code_verifier: codeVerifier, code_challenge_method: "S256" }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError("failed", `could not reach ${new URL(keysUrl).origin} (try again)`, {
      cause: error,
    });
  }
  const body = (await response.json().catch(() => undefined)) as { key?: unknown } | undefined;
  if (!response.ok || typeof body?.key !== "string" || body.key === "") {
    throw new CliError(
      "failed",
      `OpenRouter did not exchange the code for a key (HTTP ${response.status}); sign in again`,
    );
  }
  return body.key;
}
