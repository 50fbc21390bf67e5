export type { AnthropicHaltErrorBody, OpenAIHaltErrorBody } from "./error-body.js";
export {
  createHaltErrorBody,
  formatHaltMessage,
  HALT_HTTP_STATUS,
  haltRetryAfterSeconds,
} from "./error-body.js";
export type { OverageGuardErrorCode } from "./errors.js";
export { OverageGuardError } from "./errors.js";
export { createOverageGuard } from "./guard.js";
export { matchClaudeCodeUsageText } from "./matchers/claude-code-text.js";
export {
  matchCreditsExhausted,
  matchInsufficientQuota,
  matchPaymentRequired,
} from "./matchers/http-errors.js";
export { matchUpstreamResponse } from "./matchers/match-response.js";
export { matchOverageHeaders, OVERAGE_HEADERS } from "./matchers/overage-headers.js";
export type { HeaderMap, SignalKind, SignalMatch, UpstreamResponse } from "./matchers/types.js";
export { createMemoryGuardStateStore } from "./memory-store.js";
export type { BudgetPeriod } from "./periods.js";
export { periodEnd, periodKey, periodStart } from "./periods.js";
export type { ModelPrice, PriceMatch, PriceTable, TokenUsage } from "./prices.js";
export { computeCost, createPriceTable } from "./prices.js";
export type {
  BudgetBucket,
  BudgetOptions,
  BudgetStatus,
  CheckAllowed,
  CheckDenied,
  CheckResult,
  GuardEvent,
  GuardLogger,
  GuardNotification,
  GuardSnapshot,
  GuardState,
  GuardStateStore,
  Halt,
  HaltScope,
  OverageGuard,
  OverageGuardOptions,
  RequestScope,
  Reservation,
  ReserveResult,
  SignalInfo,
} from "./types.js";
