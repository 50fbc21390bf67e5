// The claude-code backend's surface for the rest of the proxy (server, doctor, router).
export { BASE_ARGS, DEFAULT_SYSTEM_PROMPT, planClaudeRun } from "./build-run.js";
export { childEnvironment, WITHHELD_ENV } from "./child-env.js";
export {
  type ClaudeCodeBackend,
  type ClaudeCodeBackendOptions,
  type ClaudeQuotaEvent,
  type ClaudeRunReport,
  claudeCodeBackendFactory,
  createClaudeCodeBackend,
} from "./claude-code-backend.js";
export { ClaudeCodeError, type ClaudeCodeErrorCode } from "./errors.js";
export { type ClaudeCliProbe, type ProbeClaudeCliOptions, probeClaudeCli } from "./probe.js";
export {
  CLAUDE_QUOTA_FILE,
  type ClaudeQuotaCache,
  type ClaudeQuotaCacheOptions,
  type ClaudeQuotaSnapshot,
  type ClaudeQuotaWindow,
  type ClaudeRoutingDecision,
  createClaudeQuotaCache,
  DEFAULT_CLAUDE_QUOTA_STALE_AFTER_MS,
  decideClaudeRouting,
  readClaudeQuota,
  writeClaudeQuota,
} from "./quota-cache.js";
export {
  type ClaudeQuotaSignal,
  type ClaudeQuotaSignalKind,
  isClaudeQuotaExhaustedMessage,
  matchClaudeQuotaText,
  quotaSignalFromCliEvent,
} from "./quota-matcher.js";
export { CLAUDE_SESSIONS_FILE, fingerprintConversation } from "./session-store.js";
