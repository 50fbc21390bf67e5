import type { HarEntry } from "@switchyard/template-capture";
import type { AdminHandler } from "./admin.js";
import { ProxyError } from "./proxy-error.js";

/** What `GET /capture` reads: the recorder's recent entries by request id. */
export interface CaptureLookup {
  entry?(requestId: string): HarEntry | undefined;
}

/** The body of `GET /capture`. */
export interface CaptureAnswer {
  /** False when the proxy runs without `--capture`. */
  capturing: boolean;
  /** The entry, or null with `reason` when there is none to show. */
  entry: HarEntry | null;
  reason?: string;
}

/**
 * `GET /capture?id=<request id>`: the HAR entry the capture wrote for that request (the
 * request log's `id`), scrubbed exactly as in the capture file. A lookup, so "none" is an
 * answer (200, `entry: null` and a `reason`): the proxy is not capturing, or the request was
 * not recorded, is still being written, or is no longer among the recent entries kept in
 * memory (the file still has it).
 */
export function createCaptureHandler(capture: CaptureLookup | undefined): AdminHandler {
  return ({ query, sink }) => {
    const id = query.get("id") ?? "";
    if (id === "") {
      throw new ProxyError("bad_request", "id is required: a request id from /requests", {
        param: "id",
      });
    }
    let answer: CaptureAnswer;
    if (capture?.entry === undefined) {
      answer = {
        capturing: false,
        entry: null,
        reason: "capture is off: start the proxy with --capture <dir> to record exchanges",
      };
    } else {
      const entry = capture.entry(id) ?? null;
      answer =
        entry !== null
          ? { capturing: true, entry }
          : {
              capturing: true,
              entry: null,
              reason:
                "no capture entry for this request: not recorded, still being written, or older than the recent entries kept in memory (the capture file has every entry)",
            };
    }
    sink.json(200, answer);
  };
}
