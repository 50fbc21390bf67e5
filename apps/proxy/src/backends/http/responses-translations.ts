import {
  type AnthropicStreamEvent,
  createAnthropicToResponsesStreamTranslator,
  createOpenAIToResponsesStreamTranslator,
  createResponsesToAnthropicStreamTranslator,
  createResponsesToOpenAIStreamTranslator,
  type OpenAIStreamItem,
  parseAnthropicStreamData,
  parseOpenAIStreamData,
  parseResponsesStreamData,
  type ResponsesRequest,
  type ResponsesStreamEvent,
  type ResponsesUsage,
  serializeAnthropicStreamEvent,
  serializeOpenAIStreamItem,
} from "@switchyard/openai-compat";
import type { ProxyErrorCode } from "../../server/proxy-error.js";
import type { Dialect, UsageSummary } from "../types.js";
import { isErrorEvent, redactJson } from "./redact-upstream.js";
import {
  anthropicUsage,
  badEventBody,
  StreamOutcome,
  type UsageTrackingTranslation,
} from "./stream-translations.js";
import type { StreamTranslation } from "./translate-stream.js";

/** Responses usage (input includes cached) in the request log's Anthropic semantics. */
export function responsesUsageSummary(
  usage: ResponsesUsage | null | undefined,
): UsageSummary | undefined {
  if (!usage) return undefined;
  const cached = usage.input_tokens_details?.cached_tokens ?? 0;
  // Cache writes (a Claude upstream's) are part of input_tokens too, priced apart.
  const written = usage.input_tokens_details?.cache_write_tokens ?? 0;
  const out: UsageSummary = {
    inputTokens: Math.max(0, (usage.input_tokens ?? 0) - cached - written),
    outputTokens: usage.output_tokens ?? 0,
  };
  if (cached > 0) out.cacheReadTokens = cached;
  if (written > 0) out.cacheWriteTokens = written;
  return out;
}

function serialize<T>(items: T[], one: (item: T) => string): string {
  let out = "";
  for (const item of items) out += one(item);
  return out;
}

/** A translator of parsed upstream events into events to serialise. */
interface Translator<I, O> {
  push(i: I): O[];
  finish(): O[];
  error(e: unknown): O[];
  readonly done: boolean;
}

/**
 * A translation over a translator whose input is parsed from each SSE `data`. A class, so
 * every stream shares one hidden class and `done` is a prototype getter (see
 * stream-translations.ts for why an accessor in a literal is avoided).
 */
class ParsedTranslation<I, O> implements UsageTrackingTranslation {
  /** The reader's fast path for a whole raw event (see `StreamTranslation.raw`), if any. */
  readonly raw: StreamTranslation["raw"];
  /** The reader's fast path for a row of events after one `raw` took, if any. */
  readonly rawRun: StreamTranslation["rawRun"];
  readonly #outcome = new StreamOutcome();

  constructor(
    private readonly options: {
      backend: string;
      /** The caller's dialect, for the error that ends the stream at a bad upstream event. */
      dialect: Dialect;
      secrets: readonly string[];
      translator: Translator<I, O>;
      parse: (data: string) => I;
      write: (o: O) => string;
      usage: () => UsageSummary | undefined;
      /** Serialised output for raw `data` without parsing it, when it can (a text delta). */
      fast?: (data: string) => string | undefined;
      /** `fast` for a whole raw SSE event in its chunk (no per-event string split). */
      raw?: StreamTranslation["raw"];
      /** `raw` for a row of events after one it took (no usage, no error in any of them). */
      rawRun?: StreamTranslation["rawRun"];
    },
  ) {
    // Set on every instance, undefined or not, so all share one hidden class.
    this.raw = options.raw;
    this.rawRun = options.rawRun;
  }

  push(data: string): string {
    const { options } = this;
    if (options.fast !== undefined) {
      const sse = options.fast(data);
      if (sse !== undefined) return sse;
    }
    let input: I;
    try {
      input = options.parse(data);
    } catch {
      this.#outcome.failure = "upstream_bad_response";
      return this.error(badEventBody(options.backend, options.dialect));
    }
    // Error events (and a failed response's error) reach the client: redact them first.
    if (isErrorEvent(input)) {
      this.#outcome.failure ??= "upstream_error";
      input = redactJson(input, options.secrets) as I;
    }
    return serialize(options.translator.push(input), options.write);
  }

  finish(): string {
    return serialize(this.#outcome.closed(this.options.translator.finish()), this.options.write);
  }

  error(body: unknown): string {
    return serialize(this.options.translator.error(body), this.options.write);
  }

  usage(): UsageSummary | undefined {
    return this.options.usage();
  }

  get done(): boolean {
    return this.options.translator.done;
  }

  get failure(): ProxyErrorCode | undefined {
    return this.#outcome.failure;
  }
}

/** Builds a translation over a translator whose input is parsed from each SSE `data`. */
function translation<I, O>(
  options: ConstructorParameters<typeof ParsedTranslation<I, O>>[0],
): UsageTrackingTranslation {
  return new ParsedTranslation(options);
}

/** Anthropic SSE from upstream → Responses SSE to the caller. */
export function anthropicToResponsesTranslation(options: {
  backend: string;
  request: ResponsesRequest;
  /** Redacted from upstream error events. */
  secrets: readonly string[];
}): UsageTrackingTranslation {
  const translator = createAnthropicToResponsesStreamTranslator({ request: options.request });
  // What the upstream reported so far: the response carries usage only once it ended.
  const reported = anthropicUsage();
  return translation<AnthropicStreamEvent, ResponsesStreamEvent>({
    backend: options.backend,
    dialect: "openai",
    secrets: options.secrets,
    translator,
    parse: (data) => {
      const event = parseAnthropicStreamData(data);
      reported.noteEvent(event);
      return event;
    },
    // The translator's own serialiser writes the texts it closed from their upstream JSON.
    write: translator.sse,
    usage: () => responsesUsageSummary(translator.snapshot().usage) ?? reported.usage(),
    // Text deltas, most of a stream, go through without being parsed.
    fast: (data) => translator.textDeltaSse(data),
    raw: (text, start, end) => translator.textDeltaEventSse(text, start, end),
    rawRun: (text, start, end, out) => translator.textDeltaRunSse(text, start, end, out),
  });
}

/** Chat Completions SSE from upstream → Responses SSE to the caller. */
export function openAIToResponsesTranslation(options: {
  backend: string;
  request: ResponsesRequest;
  /** Redacted from upstream error events. */
  secrets: readonly string[];
}): UsageTrackingTranslation {
  const translator = createOpenAIToResponsesStreamTranslator({ request: options.request });
  return translation<OpenAIStreamItem, ResponsesStreamEvent>({
    backend: options.backend,
    dialect: "openai",
    secrets: options.secrets,
    translator,
    parse: parseOpenAIStreamData,
    // The translator's own serialiser writes the texts it closed from their upstream JSON.
    write: translator.sse,
    usage: () => responsesUsageSummary(translator.snapshot().usage),
    // Text-only chunks, most of a stream, go through without being parsed.
    fast: (data) => translator.textDeltaSse(data),
    raw: (text, start, end) => translator.textDeltaEventSse(text, start, end),
    rawRun: (text, start, end, out) => translator.textDeltaRunSse(text, start, end, out),
  });
}

/** Tracks the usage of the terminal event of a Responses stream read from upstream. */
function watchUsage(parse: (data: string) => ResponsesStreamEvent) {
  let usage: UsageSummary | undefined;
  return {
    parse(data: string): ResponsesStreamEvent {
      const event = parse(data);
      const response = (event as { response?: { usage?: ResponsesUsage | null } }).response;
      if (response?.usage) usage = responsesUsageSummary(response.usage);
      return event;
    },
    usage: () => usage,
  };
}

/** Responses SSE from upstream → Chat Completions SSE to the caller. */
export function responsesToOpenAITranslation(options: {
  backend: string;
  includeUsage: boolean;
  /** Redacted from upstream error events. */
  secrets: readonly string[];
}): UsageTrackingTranslation {
  const watch = watchUsage(parseResponsesStreamData);
  return translation<ResponsesStreamEvent, OpenAIStreamItem>({
    backend: options.backend,
    dialect: "openai",
    secrets: options.secrets,
    translator: createResponsesToOpenAIStreamTranslator({ includeUsage: options.includeUsage }),
    parse: watch.parse,
    write: serializeOpenAIStreamItem,
    usage: watch.usage,
  });
}

/** Responses SSE from upstream → Anthropic SSE to the caller. */
export function responsesToAnthropicTranslation(options: {
  backend: string;
  /** Redacted from upstream error events. */
  secrets: readonly string[];
}): UsageTrackingTranslation {
  const watch = watchUsage(parseResponsesStreamData);
  return translation<ResponsesStreamEvent, AnthropicStreamEvent>({
    backend: options.backend,
    dialect: "anthropic",
    secrets: options.secrets,
    translator: createResponsesToAnthropicStreamTranslator(),
    parse: watch.parse,
    write: serializeAnthropicStreamEvent,
    usage: watch.usage,
  });
}
