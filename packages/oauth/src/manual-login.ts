import { createAuthorizationRequest, exchangeAuthorizationCode } from "./authorization-code.js";
import type { ServerContext } from "./internal/context.js";
import { OAuthError } from "./oauth-error.js";
import type { TokenSet } from "./token-set.js";

/** Options of {@link loginManually}. */
export interface ManualLoginOptions {
  /**
   * The redirect URI registered for the client. Nothing needs to listen there: the user
   * copies the address the browser lands on. Default `http://127.0.0.1/callback`.
   */
  redirectUri?: string;
  /** Shows the URL and resolves with what the user pasted: the whole redirect URL, or the code. */
  prompt: (url: string) => Promise<string>;
  extraParams?: Record<string, string>;
}

/** What a pasted answer holds: the redirect's query (state checked) or a bare code. */
export function parsePastedAnswer(text: string): { params: URLSearchParams; hasState: boolean } {
  const trimmed = text.trim();
  if (trimmed === "") {
    throw new OAuthError({ code: "invalid_input", message: "nothing was pasted" });
  }
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new OAuthError({
        code: "invalid_input",
        message: "the pasted text is not a valid URL",
      });
    }
    const params = url.searchParams;
    if (!params.has("code") && !params.has("error")) {
      throw new OAuthError({
        code: "invalid_input",
        message: "the pasted URL has no code: copy the whole address the browser landed on",
      });
    }
    return { params, hasState: params.has("state") };
  }
  if (/\s/.test(trimmed)) {
    throw new OAuthError({ code: "invalid_input", message: "the pasted code has spaces in it" });
  }
  return { params: new URLSearchParams({ code: trimmed }), hasState: false };
}

/**
 * The same authorization code + PKCE flow for a machine without a browser (SSH): the user
 * opens the URL elsewhere and pastes back the address the browser landed on (state is then
 * checked) or just the code (PKCE still binds it to this client).
 */
export async function loginManually(
  context: ServerContext,
  options: ManualLoginOptions,
): Promise<TokenSet> {
  const request = await createAuthorizationRequest(context, {
    redirectUri: options.redirectUri ?? "http://127.0.0.1/callback",
    ...(options.extraParams === undefined ? {} : { extraParams: options.extraParams }),
  });
  const { params, hasState } = parsePastedAnswer(await options.prompt(request.url.href));
  return exchangeAuthorizationCode(context, {
    response: params,
    request: { ...request, state: hasState ? request.state : "skip" },
  });
}
