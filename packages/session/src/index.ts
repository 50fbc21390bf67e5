export {
  type Eviction,
  type EvictionReason,
  type ExpiryReason,
  expiryReason,
  isExpired,
  type PickEvictionsInput,
  pickEvictions,
  resolveSessionConfig,
  type SessionConfig,
  type SessionEntry,
  type SessionRegistryOptions,
} from "./expiry.js";
export { SessionError, type SessionErrorCode } from "./session-error.js";
export {
  type DeriveSessionKeyOptions,
  deriveSessionKey,
  type SessionKey,
  type SessionKeyInput,
  type SessionKeySource,
} from "./session-key.js";
export {
  createSessionRegistry,
  type SessionExport,
  type SessionRegistry,
  type SessionSnapshot,
  type SessionUsage,
} from "./session-registry.js";
