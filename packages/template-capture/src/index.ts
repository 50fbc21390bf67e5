export {
  cassetteHead,
  cassetteTail,
  entryJsonBody,
  entryPath,
  parseCassette,
  serializeCassette,
} from "./cassette.js";
export {
  diffCaptures,
  diffTemplates,
  formatTemplateDiff,
  type TemplateDiff,
  type TextChange,
  type ToolChange,
  type ValueChange,
} from "./diff.js";
export { buildEntry, type Exchange, type HeaderInput, toNameValues } from "./entry.js";
export { CaptureError, type CaptureErrorCode } from "./errors.js";
export type {
  CaptureHeader,
  EntryMeta,
  HarContent,
  HarCreator,
  HarEntry,
  HarLog,
  HarNameValue,
  HarRequest,
  HarResponse,
  HarTimings,
  SseEventTiming,
} from "./har.js";
export { normalizeVolatile, normalizeVolatileText } from "./internal/volatile.js";
export {
  createReplayMatcher,
  type MatchMode,
  type ReplayMatcher,
  type ReplayMatcherOptions,
  type ReplayRequest,
} from "./matcher.js";
export {
  type CassetteFile,
  type CassetteFs,
  createRecorder,
  type Recorder,
  type RecorderOptions,
} from "./recorder.js";
export { createScrubber, type Scrubber, type ScrubberOptions } from "./scrub.js";
export {
  splitSseEvents,
  type TimedChunk,
  type TimedSseEvent,
  timeSseEvents,
} from "./sse-timing.js";
export {
  extractTemplate,
  type Template,
  type ToolTemplate,
  templateFromRequest,
} from "./template.js";
