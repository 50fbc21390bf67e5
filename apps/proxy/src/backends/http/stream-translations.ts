import {
  type AnthropicStreamEvent,
  createAnthropicToOpenAIStreamTranslator,
  createOpenAIToAnthropicStreamTranslator,
  type OpenAIStreamItem,
  parseAnthropicStreamData,
  parseOpenAIStreamData,
  serializeAnthropicStreamEvent,
  serializeOpenAIStreamItem,
} from "@switchyard/openai-compat";
import { errorToResponse } from "../../server/error-response.js";
import { ProxyError, type ProxyErrorCode } from "../../server/proxy-error.js";
import type { Dialect, UsageSummary } from "../types.js";
import { isErrorEvent, isErrorValue, redactJson } from "./redact-upstream.js";
import type { StreamTranslation } from "./translate-stream.js";

/** A translation that also remembers the usage it saw. */
export type UsageTrackingTranslation = StreamTranslation & { usage(): UsageSummary | undefined };

const badEvent = (backend: string) =>
  new ProxyError(
    "upstream_bad_response",
    `upstream ${backend} sent a stream event that is not valid JSON`,
  );

/**
 * The caller's error body for an upstream event that is not valid JSON: the translation ends
 * with it after the events translated before the bad one (they went into the same write).
 */
export const badEventBody = (backend: string, dialect: Dialect) =>
  errorToResponse(badEvent(backend), dialect).body;

/** How a translated answer ended, as the translation learnt it (see `StreamTranslation.failure`). */
export class StreamOutcome {
  failure: ProxyErrorCode | undefined = undefined;

  /** Notes that the closing events of an upstream that ended early hold an error terminal. */
  closed<T>(items: T[]): T[] {
    if (this.failure === undefined && items.some(isErrorEvent))
      this.failure = "upstream_incomplete";
    return items;
  }
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/**
 * Puts `done` on a shared prototype getter. A `get done()` in an object literal gives every
 * stream its own hidden class, whose old-space map keeps the stream's closures alive through
 * young-generation GCs.
 */
class Translation implements UsageTrackingTranslation {
  readonly #translator: { readonly done: boolean };
  readonly #outcome: StreamOutcome;
  constructor(
    translator: { readonly done: boolean },
    outcome: StreamOutcome,
    readonly push: UsageTrackingTranslation["push"],
    readonly raw: NonNullable<UsageTrackingTranslation["raw"]>,
    readonly rawRun: UsageTrackingTranslation["rawRun"],
    readonly finish: () => string,
    readonly error: (errorBody: unknown) => string,
    readonly usage: () => UsageSummary | undefined,
  ) {
    this.#translator = translator;
    this.#outcome = outcome;
  }

  get done(): boolean {
    return this.#translator.done;
  }

  get failure(): ProxyErrorCode | undefined {
    return this.#outcome.failure;
  }
}

/**
 * The usage an Anthropic stream reported so far (`message_start`, then each `message_delta`'s
 * cumulative counts), in the request log's terms: `note` each event's `usage`.
 */
export function anthropicUsage() {
  const usage: UsageSummary = {};
  return {
    note(u: Record<string, unknown> | undefined | null): void {
      if (!u) return;
      const input = num(u.input_tokens);
      const output = num(u.output_tokens);
      const read = num(u.cache_read_input_tokens);
      const write = num(u.cache_creation_input_tokens);
      if (input !== undefined) usage.inputTokens = input;
      if (output !== undefined) usage.outputTokens = output;
      if (read !== undefined) usage.cacheReadTokens = read;
      if (write !== undefined) usage.cacheWriteTokens = write;
    },
    /** Notes the usage an event carries (`message_start`, `message_delta`), if any. */
    noteEvent(event: AnthropicStreamEvent): void {
      if (event.type === "message_start") this.note(event.message?.usage);
      else if (event.type === "message_delta") this.note(event.usage);
    },
    usage: (): UsageSummary | undefined => (Object.keys(usage).length > 0 ? usage : undefined),
  };
}

/** Anthropic SSE from upstream → OpenAI SSE to the caller. */
export function anthropicToOpenAITranslation(options: {
  backend: string;
  includeUsage: boolean;
  /** Redacted from upstream error events. */
  secrets: readonly string[];
}): UsageTrackingTranslation {
  const translator = createAnthropicToOpenAIStreamTranslator({
    includeUsage: options.includeUsage,
  });
  const reported = anthropicUsage();
  const serialize = (items: OpenAIStreamItem[]) => {
    let out = "";
    for (const item of items) out += serializeOpenAIStreamItem(item);
    return out;
  };
  const outcome = new StreamOutcome();
  return new Translation(
    translator,
    outcome,
    (data) => {
      // Text deltas, most of a stream, go through without being parsed.
      const sse = translator.textDeltaSse(data);
      if (sse !== undefined) return sse;
      let event: AnthropicStreamEvent;
      try {
        event = parseAnthropicStreamData(data);
      } catch {
        outcome.failure = "upstream_bad_response";
        return serialize(translator.error(badEventBody(options.backend, "openai")));
      }
      reported.noteEvent(event);
      if (event.type === "error") {
        outcome.failure ??= "upstream_error";
        event = redactJson(event, options.secrets) as AnthropicStreamEvent;
      }
      return serialize(translator.push(event));
    },
    // Text deltas framed as Anthropic sends them: translated from the raw event text.
    (text, start, end) => translator.textDeltaEventSse(text, start, end),
    // A row of them after one: translated at once (no usage, no error in any of them).
    (text, start, end, out) => translator.textDeltaRunSse(text, start, end, out),
    () => serialize(outcome.closed(translator.finish())),
    (body) => serialize(translator.error(body)),
    reported.usage,
  );
}

/** OpenAI SSE from upstream → Anthropic SSE to the caller. */
export function openAIToAnthropicTranslation(options: {
  backend: string;
  inputTokens?: number;
  /** Redacted from upstream error events. */
  secrets: readonly string[];
}): UsageTrackingTranslation {
  const translator = createOpenAIToAnthropicStreamTranslator(
    options.inputTokens === undefined ? {} : { inputTokens: options.inputTokens },
  );
  let usage: UsageSummary | undefined;
  const serialize = (events: AnthropicStreamEvent[]) => {
    let out = "";
    for (const event of events) out += serializeAnthropicStreamEvent(event);
    return out;
  };
  const outcome = new StreamOutcome();
  return new Translation(
    translator,
    outcome,
    (data) => {
      // Text-only chunks, most of a stream, go through without being parsed: they carry
      // no usage and no error (the fast path refuses any chunk that does).
      const sse = translator.textDeltaSse(data);
      if (sse !== undefined) return sse;
      let item: OpenAIStreamItem;
      try {
        item = parseOpenAIStreamData(data);
      } catch {
        outcome.failure = "upstream_bad_response";
        return serialize(translator.error(badEventBody(options.backend, "anthropic")));
      }
      if (isErrorValue(item)) {
        outcome.failure ??= "upstream_error";
        item = redactJson(item, options.secrets) as OpenAIStreamItem;
      } else if (typeof item === "object" && "usage" in item && item.usage) {
        const u = item.usage;
        const cached = num(u.prompt_tokens_details?.cached_tokens) ?? 0;
        usage = {
          inputTokens: Math.max(0, (num(u.prompt_tokens) ?? 0) - cached),
          outputTokens: num(u.completion_tokens) ?? 0,
          ...(cached > 0 ? { cacheReadTokens: cached } : {}),
        };
      }
      return serialize(translator.push(item));
    },
    (text, start, end) => translator.textDeltaEventSse(text, start, end),
    // A row of text-only chunks shaped like the one before: translated at once.
    (text, start, end, out) => translator.textDeltaRunSse(text, start, end, out),
    () => serialize(outcome.closed(translator.finish())),
    (body) => serialize(translator.error(body)),
    () => usage,
  );
}
