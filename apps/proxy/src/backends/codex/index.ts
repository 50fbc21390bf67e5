// The codex backend's surface for the rest of the proxy (server, doctor, router).
export {
  BASE_ARGS,
  DEFAULT_INSTRUCTIONS,
  neutralizeCodexMentions,
  planCodexRun,
} from "./build-run.js";
export {
  CODEX_QUOTA_FILE,
  CODEX_SESSIONS_FILE,
  CODEX_WITHHELD_ENV,
  type CodexBackend,
  type CodexBackendOptions,
  type CodexQuotaEvent,
  codexBackendFactory,
  createCodexBackend,
} from "./codex-backend.js";
export { CodexError, type CodexErrorCode } from "./errors.js";
export { type CodexCliProbe, type ProbeCodexCliOptions, probeCodexCli } from "./probe.js";
export {
  type CodexQuotaSignal,
  matchCodexQuotaText,
  parseCodexResetTime,
} from "./quota-matcher.js";
