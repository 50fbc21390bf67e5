import * as oauth from "oauth4webapi";
import { OAuthError } from "../oauth-error.js";

/** OAuth `error` values that mean the saved grant is gone: the user must sign in again. */
const LOGIN_REQUIRED = new Set(["invalid_grant", "invalid_token", "login_required"]);
/** OAuth `error` values that mean the server is having trouble, not refusing. */
const SERVER_TROUBLE = new Set(["server_error", "temporarily_unavailable"]);

/** A server-sent description, bounded (it is shown to the user, never a token of ours). */
function describe(description: unknown): string {
  if (typeof description !== "string" || description === "") return "";
  const flat = description.replace(/\s+/g, " ").trim();
  return `: ${flat.length > 200 ? `${flat.slice(0, 200)}…` : flat}`;
}

/** Turns an OAuth `error` answer into an OAuthError with a message a user can act on. */
export function fromOAuthErrorValue(options: {
  error: string;
  description?: unknown;
  status?: number;
  what: string;
  cause?: unknown;
}): OAuthError {
  const { error, description, status, what, cause } = options;
  const base = { oauthError: error, cause, ...(status === undefined ? {} : { status }) };
  if (LOGIN_REQUIRED.has(error)) {
    return new OAuthError({
      ...base,
      code: "login_required",
      message: `${what}: the authorization server no longer accepts the saved sign-in (${error}); sign in again`,
    });
  }
  if (error === "access_denied") {
    return new OAuthError({
      ...base,
      code: "access_denied",
      message: `${what}: access was denied${describe(description)}`,
    });
  }
  if (error === "expired_token") {
    return new OAuthError({
      ...base,
      code: "expired",
      message: `${what}: the code expired before it was approved; start again`,
    });
  }
  if (SERVER_TROUBLE.has(error) || (status !== undefined && status >= 500)) {
    return new OAuthError({
      ...base,
      code: "network_error",
      message: `${what}: the authorization server had trouble (${error}); try again`,
    });
  }
  return new OAuthError({
    ...base,
    code: "server_refused",
    message: `${what}: the authorization server refused (${error})${describe(description)}`,
  });
}

/**
 * Maps anything thrown by oauth4webapi or `fetch` to an OAuthError. `what` names the
 * operation ("token refresh", "discovery", …).
 */
export function toOAuthError(error: unknown, what: string, signal?: AbortSignal): OAuthError {
  if (OAuthError.isInstance(error)) return error;
  if (signal?.aborted) {
    return new OAuthError({ code: "aborted", message: `${what}: aborted`, cause: error });
  }
  if (error instanceof oauth.ResponseBodyError) {
    return fromOAuthErrorValue({
      error: error.error,
      description: error.error_description,
      status: error.status,
      what,
      cause: error,
    });
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    return fromOAuthErrorValue({
      error: error.error,
      description: error.error_description,
      what,
      cause: error,
    });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    const value = challenge?.parameters.error ?? "invalid_client";
    return fromOAuthErrorValue({ error: value, status: error.status, what, cause: error });
  }
  if (error instanceof oauth.OperationProcessingError) {
    const response = error.cause instanceof Response ? error.cause : undefined;
    if (response !== undefined && response.status >= 500) {
      return new OAuthError({
        code: "network_error",
        status: response.status,
        message: `${what}: the authorization server answered ${response.status}; try again`,
        cause: error,
      });
    }
    return new OAuthError({
      code: "invalid_response",
      ...(response === undefined ? {} : { status: response.status }),
      message: `${what}: ${error.message}`,
      cause: error,
    });
  }
  if (error instanceof oauth.UnsupportedOperationError) {
    return new OAuthError({
      code: "invalid_response",
      message: `${what}: ${error.message}`,
      cause: error,
    });
  }
  const name = (error as { name?: string } | null)?.name;
  if (name === "AbortError" || name === "TimeoutError") {
    return new OAuthError({
      code: "network_error",
      message: `${what}: the authorization server did not answer in time; try again`,
      cause: error,
    });
  }
  if (error instanceof TypeError) {
    const code = (error.cause as { code?: string } | undefined)?.code;
    return new OAuthError({
      code: "network_error",
      message: `${what}: could not reach the authorization server${code ? ` (${code})` : ""}; try again`,
      cause: error,
    });
  }
  return new OAuthError({
    code: "invalid_response",
    message: `${what}: failed (${name ?? typeof error})`,
    cause: error,
  });
}
