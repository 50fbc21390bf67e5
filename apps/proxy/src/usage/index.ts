export {
  type AggregateOptions,
  aggregateUsage,
  emptyTotals,
  NO_SESSION,
  parseSince,
  USAGE_GROUPS,
  type UsageGroupBy,
  type UsagePeriodName,
  type UsageRow,
  type UsageTotals,
  usagePeriod,
} from "./aggregate.js";
export { createGuardFromConfig, type GuardFromConfigOptions } from "./guard-from-config.js";
export {
  createFileGuardStateStore,
  type FileGuardStateStoreOptions,
  GUARD_STATE_FILE,
  guardStatePath,
} from "./guard-state-file.js";
export {
  createDesktopNotifier,
  type DesktopNotifierOptions,
  type SpawnLike,
  sanitizeNotificationText,
} from "./notify.js";
export { createProxyPriceTable, PRICE_TABLE_DATE } from "./prices.js";
export { parseUsageLines, readUsageRecords, type UsageReadResult } from "./read-usage.js";
export { hashSession, type UsageEntry, type UsageRecord } from "./record.js";
export { buildUsageReport, renderUsageReport, type UsageReport } from "./report.js";
export { nodeUsageFs, type UsageFs, usageLogDir } from "./usage-fs.js";
export { createUsageLog, type UsageLog, type UsageLogOptions } from "./usage-log.js";
