import * as oauth from "oauth4webapi";
import type { ServerContext } from "./internal/context.js";
import { toOAuthError } from "./internal/map-error.js";
import { OAuthError } from "./oauth-error.js";
import { type TokenSet, tokenSetFromResponse } from "./token-set.js";

/** What the user needs to approve a device sign-in. */
export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  /** Seconds until the code expires. */
  expiresIn: number;
}

/** Options of {@link loginWithDevice}. */
export interface DeviceLoginOptions {
  /** Shows the user code and where to enter it. */
  onUserCode: (prompt: DeviceCodePrompt) => void;
  /** Waits between polls (injectable for tests). Default: a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

/** RFC 8628 §3.5: 5 s when the server names no interval; `slow_down` adds 5 s. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_S = 5;

const timerSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new OAuthError({ code: "aborted", message: "device sign-in aborted" }));
      },
      { once: true },
    );
  });

/**
 * Device authorization grant (RFC 8628): asks for a user code, shows it, then polls the token
 * endpoint at the server's `interval`, slowing by 5 s on each `slow_down`, until the user
 * approves, denies, or the code expires.
 */
export async function loginWithDevice(
  context: ServerContext,
  options: DeviceLoginOptions,
): Promise<TokenSet> {
  const { sleep = timerSleep, signal } = options;
  const server = await context.server();
  let device: oauth.DeviceAuthorizationResponse;
  try {
    const params = new URLSearchParams();
    if (context.scopes.length > 0) params.set("scope", context.scopes.join(" "));
    const answer = await oauth.deviceAuthorizationRequest(
      server,
      context.client,
      context.clientAuth,
      params,
      context.http(),
    );
    device = await oauth.processDeviceAuthorizationResponse(server, context.client, answer);
  } catch (error) {
    throw toOAuthError(error, "device authorization");
  }
  options.onUserCode({
    userCode: device.user_code,
    verificationUri: device.verification_uri,
    ...(device.verification_uri_complete === undefined
      ? {}
      : { verificationUriComplete: device.verification_uri_complete }),
    expiresIn: device.expires_in,
  });
  let intervalS = device.interval ?? DEFAULT_INTERVAL_S;
  const deadline = context.now() + device.expires_in * 1000;
  for (;;) {
    if (signal?.aborted)
      throw new OAuthError({ code: "aborted", message: "device sign-in aborted" });
    await sleep(intervalS * 1000, signal);
    if (context.now() > deadline) {
      throw new OAuthError({
        code: "expired",
        message: "device sign-in: the code expired before it was approved; start again",
      });
    }
    try {
      const answer = await oauth.deviceCodeGrantRequest(
        server,
        context.client,
        context.clientAuth,
        device.device_code,
        context.http(),
      );
      const tokens = await oauth.processDeviceCodeResponse(server, context.client, answer);
      return tokenSetFromResponse(tokens, context.now());
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError) {
        if (error.error === "authorization_pending") continue;
        if (error.error === "slow_down") {
          intervalS += SLOW_DOWN_S;
          continue;
        }
      }
      throw toOAuthError(error, "device sign-in");
    }
  }
}
