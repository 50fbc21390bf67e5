import { cassetteHead, cassetteTail } from "./cassette.js";
import { buildEntry, type Exchange } from "./entry.js";
import { CaptureError } from "./errors.js";
import type { CaptureHeader, HarCreator, HarEntry } from "./har.js";
import { nodeCassetteFs } from "./internal/node-fs.js";
import { createScrubber, type Scrubber } from "./scrub.js";

/** An open cassette file: positional writes (bytes) and truncation. */
export interface CassetteFile {
  write(text: string, position: number): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** How the recorder reaches the file system (inject a fake in tests). */
export interface CassetteFs {
  /** Creates (or replaces) the file, mode 0600. */
  open(path: string): Promise<CassetteFile>;
}

/** Options for {@link createRecorder}. */
export interface RecorderOptions {
  /** Where the HAR file goes (created or replaced). */
  path: string;
  /** `log.creator`, e.g. `{ name: "switchyard", version: "1.2.0" }`. */
  creator: HarCreator;
  /** The capture header; `tool`/`toolVersion` are filled from the first user-agent if absent. */
  header?: CaptureHeader;
  /** Stop recording once the file would pass this many bytes (default 64 MiB). */
  maxBytes?: number;
  /** Scrubs every entry before it is written (default: a fresh {@link createScrubber}). */
  scrubber?: Scrubber;
  fs?: CassetteFs;
  /** Told once, with a message for the user, when the size limit stops the recording. */
  onStop?: (message: string) => void;
  /**
   * How many recent entries with a `_switchyard.requestId` stay in memory for
   * {@link Recorder.entry} (default 100; at most 16 MiB of them, oldest dropped first).
   */
  keepRecent?: number;
}

/** Appends exchanges to a HAR file as they complete. */
export interface Recorder {
  readonly path: string;
  /** Entries written so far. */
  readonly entries: number;
  /** Bytes in the file. */
  readonly bytes: number;
  /** Why recording stopped early, or undefined while recording. */
  readonly stopped: string | undefined;
  /** Scrubs and appends one finished exchange; resolves when it is on disk. */
  record(exchange: Exchange): Promise<void>;
  /**
   * The written (scrubbed) entry of the exchange whose `meta.requestId` is `requestId`, while
   * it is among the last `keepRecent`; undefined when never recorded, not yet written, or gone.
   */
  entry(requestId: string): HarEntry | undefined;
  /** Waits for pending writes and closes the file (it stays a valid HAR file). */
  close(): Promise<void>;
}

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).byteLength;
const userAgentTool = /^(\S+?)[/ ]v?(\d+\.\d+[\w.+-]*)/;
/** The most bytes of entry JSON {@link Recorder.entry} keeps in memory. */
const RECENT_MAX_CHARS = 16 * 1024 * 1024;

/**
 * Creates a recorder. The file is a complete HAR 1.2 document after every append (see
 * {@link cassetteHead} for the layout), so a crash loses at most the exchange in flight.
 * Writes are serialised in completion order; exchanges that complete during a write go out
 * together in the next one.
 *
 * @example
 * const recorder = await createRecorder({ path: "claude.har", creator: { name: "switchyard", version } });
 * await recorder.record(exchange);
 * await recorder.close();
 */
export async function createRecorder(options: RecorderOptions): Promise<Recorder> {
  const {
    path,
    creator,
    maxBytes = 64 * 1024 * 1024,
    scrubber = createScrubber(),
    fs = nodeCassetteFs,
  } = options;
  const header: CaptureHeader = { ...options.header };
  let browser: HarCreator | undefined;
  const file = await fs.open(path);
  const head = cassetteHead(creator);
  let bodyEnd = byteLength(head); // where the tail starts
  let tailBytes = 0;
  let entries = 0;
  let stopped: string | undefined;
  let closed = false;
  // Recent entries by request id, as their JSON line (insertion order: oldest first).
  const keepRecent = Math.max(0, options.keepRecent ?? 100);
  const recent = new Map<string, string>();
  let recentChars = 0;
  const remember = (requestId: string, json: string) => {
    if (keepRecent === 0 || json.length > RECENT_MAX_CHARS) return;
    recent.set(requestId, json);
    recentChars += json.length;
    for (const [id, old] of recent) {
      if (recent.size <= keepRecent && recentChars <= RECENT_MAX_CHARS) break;
      recent.delete(id);
      recentChars -= old.length;
    }
  };

  const tail = () =>
    cassetteTail({
      header,
      ...(browser !== undefined ? { browser } : {}),
      ...(stopped !== undefined ? { comment: stopped } : {}),
    });
  const writeTail = async () => {
    const text = tail();
    const bytes = byteLength(text);
    await file.write(text, bodyEnd);
    if (bytes < tailBytes) await file.truncate(bodyEnd + bytes);
    tailBytes = bytes;
  };
  await file.write(head, 0);
  await writeTail();

  /** The entry line for one exchange (scrubbed), updating the header from it. */
  const lineFor = (exchange: Exchange, first: boolean): { line: string; json: string } => {
    const entry = scrubber.scrubEntry(buildEntry(exchange));
    const meta = entry._switchyard;
    // The first routed API call speaks for the capture (not a probe such as HEAD /api/hello).
    if (meta?.backend !== undefined && header.backend === undefined) {
      header.backend = meta.backend;
      if (meta.dialect !== undefined) header.dialect ??= meta.dialect;
      if (meta.model !== undefined) header.model ??= meta.model;
    }
    const ua = entry.request.headers.find((h) => h.name.toLowerCase() === "user-agent")?.value;
    // From an API call: a tool's side requests (health probes) may come from another client.
    const apiCall = entry.request.postData !== undefined;
    const match =
      ua === undefined || browser !== undefined || !apiCall ? null : userAgentTool.exec(ua);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      browser = { name: match[1], version: match[2] };
      header.tool ??= match[1];
      header.toolVersion ??= match[2];
    }
    const json = JSON.stringify(entry);
    return { line: `${first ? "\n" : ",\n"}${json}`, json };
  };

  /**
   * Appends the exchanges that completed while the last write was under way: their lines and
   * the new tail in one write at the tail's place, so the file is valid HAR after it and a
   * busy proxy does not queue one write per exchange behind a slow disk.
   */
  const appendAll = async (exchanges: Exchange[]) => {
    if (stopped !== undefined) return;
    let lines = "";
    let linesBytes = 0;
    let added = 0;
    const written: Array<[string, string]> = [];
    for (const exchange of exchanges) {
      const { line, json } = lineFor(exchange, entries + added === 0);
      const lineBytes = byteLength(line);
      if (bodyEnd + linesBytes + lineBytes + byteLength(tail()) + 200 > maxBytes) {
        stopped = `capture stopped after ${entries + added} exchanges: the next one would pass the ${maxBytes}-byte limit`;
        header.stopped = stopped;
        break;
      }
      lines += line;
      linesBytes += lineBytes;
      added += 1;
      const requestId = exchange.meta?.requestId;
      if (requestId !== undefined) written.push([requestId, json]);
    }
    const text = tail();
    const tailNow = byteLength(text);
    await file.write(lines + text, bodyEnd);
    if (linesBytes + tailNow < tailBytes) await file.truncate(bodyEnd + linesBytes + tailNow);
    bodyEnd += linesBytes;
    tailBytes = tailNow;
    entries += added;
    for (const [requestId, json] of written) remember(requestId, json);
    if (stopped !== undefined)
      options.onStop?.(`switchyard: ${stopped} (${path}); later exchanges were not recorded`);
  };

  let pending: Array<{ exchange: Exchange; done: (error?: unknown) => void }> = [];
  let draining: Promise<void> | undefined;
  const drain = async () => {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      let failure: unknown;
      await appendAll(batch.map((p) => p.exchange)).catch((error: unknown) => {
        failure = error ?? new Error("write failed");
      });
      for (const p of batch) p.done(failure);
    }
    draining = undefined;
  };

  return {
    path,
    get entries() {
      return entries;
    },
    get bytes() {
      return bodyEnd + tailBytes;
    },
    get stopped() {
      return stopped;
    },
    entry(requestId) {
      const json = recent.get(requestId);
      return json === undefined ? undefined : (JSON.parse(json) as HarEntry);
    },
    record(exchange) {
      if (closed)
        return Promise.reject(
          new CaptureError("recorder_closed", `recorder for ${path} is closed`),
        );
      return new Promise<void>((resolve, reject) => {
        pending.push({
          exchange,
          done: (error) => (error === undefined ? resolve() : reject(error)),
        });
        draining ??= drain();
      });
    },
    async close() {
      if (closed) return draining;
      closed = true;
      await draining;
      await file.close();
    },
  };
}
