export { createEmitter, type Emitter, type Listener } from "./emitter.js";
export type { PoolEvents } from "./events.js";
export {
  availableAt,
  type BreakerState,
  breakerState,
  currentHealth,
  dimensionHeadroom,
  HEALTH_HALF_LIFE_MS,
  isAvailable,
  isHealthy,
  targetHeadroom,
} from "./headroom.js";
export {
  isRetryableStatusDefault,
  type PoolConfig,
  type PoolOptions,
  type PoolTargetOptions,
  resolvePoolConfig,
  sleepDefault,
} from "./options.js";
export { anthropicRateLimitParser } from "./parsers/anthropic.js";
export { parseDuration } from "./parsers/duration.js";
export { defaultParsers } from "./parsers/index.js";
export { openaiRateLimitParser } from "./parsers/openai.js";
export { parseRetryAfter, retryAfterParser } from "./parsers/retry-after.js";
export type {
  DimensionObservation,
  HeaderReader,
  RateLimitObservation,
  RateLimitParser,
} from "./parsers/types.js";
export {
  type AbortSignalLike,
  type AttemptContext,
  createPool,
  type Pool,
  type RunOptions,
  type RunResult,
} from "./pool.js";
export { PoolError, type PoolErrorCode, type PoolErrorDetails } from "./pool-error.js";
export {
  defaultResponseAccessor,
  discardResponse,
  type ResponseAccessor,
} from "./response-like.js";
export {
  type SelectableTarget,
  type Selection,
  type SelectionInput,
  type SelectionReason,
  selectTarget,
} from "./select.js";
export type { DimensionSnapshot, PoolSnapshot, TargetSnapshot } from "./snapshot.js";
export type {
  BreakerRecord,
  DimensionSource,
  DimensionState,
  TargetCounts,
  TargetState,
} from "./state.js";
export { createTargetState } from "./state.js";
export {
  createMemoryStateStore,
  type MemoryStateStoreOptions,
  type PoolStateStore,
} from "./state-store.js";
