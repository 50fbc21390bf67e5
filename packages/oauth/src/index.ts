export {
  type AuthorizationRequest,
  createAuthorizationRequest,
  exchangeAuthorizationCode,
} from "./authorization-code.js";
export { type DeviceCodePrompt, type DeviceLoginOptions, loginWithDevice } from "./device-login.js";
export { createFileTokenStore, type FileTokenStoreOptions } from "./file-token-store.js";
export { fetchClientCredentials, refreshTokens, revokeTokens } from "./grants.js";
export {
  createServerContext,
  type FetchLike,
  type ServerContext,
  type ServerContextOptions,
} from "./internal/context.js";
export {
  type LoopbackListener,
  type LoopbackListenerOptions,
  type LoopbackRedirect,
  startLoopbackListener,
} from "./loopback-listener.js";
export { type LoopbackLoginOptions, loginWithLoopback } from "./loopback-login.js";
export { loginManually, type ManualLoginOptions, parsePastedAnswer } from "./manual-login.js";
export {
  createOAuthClient,
  type OAuthClient,
  type OAuthClientOptions,
  type OAuthFlow,
} from "./oauth-client.js";
export { OAuthError, type OAuthErrorCode } from "./oauth-error.js";
export { createPkcePair, type PkcePair } from "./pkce.js";
export {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from "./token-manager.js";
export {
  describeTokenSet,
  isTokenSet,
  type TokenSet,
  type TokenStatus,
  tokenSetFromResponse,
} from "./token-set.js";
export { createMemoryTokenStore, type TokenStore } from "./token-store.js";
