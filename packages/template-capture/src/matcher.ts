import { entryJsonBody, entryPath } from "./cassette.js";
import { CaptureError } from "./errors.js";
import type { HarEntry } from "./har.js";
import { canonicalJson } from "./internal/canonical-json.js";
import { diffJson } from "./internal/json-diff.js";
import { normalizeVolatile } from "./internal/volatile.js";

/**
 * How a request finds its recorded answer:
 * - `exact`: same method, path and body text.
 * - `normalized`: same method and path, and the same JSON body once ids, session ids and
 *   timestamps are normalised and the `ignore` fields dropped (the default); key order does
 *   not count.
 * - `in-order`: the next recorded exchange, whatever its body (method and path must agree).
 */
export type MatchMode = "exact" | "normalized" | "in-order";

/** Options for {@link createReplayMatcher}. */
export interface ReplayMatcherOptions {
  entries: readonly HarEntry[];
  mode?: MatchMode;
  /** Throw `replay_miss` naming the closest candidate when nothing matches (default true). */
  strict?: boolean;
  /** Top-level body fields left out of `normalized` comparison (default `metadata`, `user`). */
  ignore?: readonly string[];
  /**
   * What of a JSON body `normalized` compares, instead of the body minus `ignore` (e.g. only
   * the conversation, when requests come translated from another dialect).
   */
  project?: (body: Record<string, unknown>) => unknown;
}

/** A request to find an answer for. */
export interface ReplayRequest {
  method: string;
  /** Path, optionally with a query (`/v1/messages?beta=true`); only the path is compared. */
  path: string;
  /** Body text. */
  body?: string;
}

/** Finds recorded answers. */
export interface ReplayMatcher {
  /** The recorded entry for a request; undefined on a miss when not strict. */
  match(request: ReplayRequest): HarEntry | undefined;
}

const pathOf = (path: string) => {
  const q = path.indexOf("?");
  return q < 0 ? path : path.slice(0, q);
};

/**
 * Creates a replay matcher over recorded entries. Each entry answers once while unused
 * entries match; after that the last one that matched answers again (a client that repeats
 * a request gets the same answer).
 *
 * @example
 * const matcher = createReplayMatcher({ entries: har.log.entries, mode: "normalized" });
 * const entry = matcher.match({ method: "POST", path: "/v1/messages", body });
 */
export function createReplayMatcher(options: ReplayMatcherOptions): ReplayMatcher {
  const { entries, mode = "normalized", strict = true } = options;
  const ignore = new Set(options.ignore ?? ["metadata", "user"]);
  const used = new Set<number>();
  let next = 0;
  let lastMatch: number | undefined;
  const normalize = (body: Record<string, unknown> | undefined): unknown => {
    if (body === undefined) return undefined;
    if (options.project !== undefined) return normalizeVolatile(options.project(body));
    const kept: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) if (!ignore.has(k)) kept[k] = v;
    return normalizeVolatile(kept);
  };
  const keys = entries.map((entry) => ({
    method: entry.request.method.toUpperCase(),
    path: entryPath(entry),
    text: entry.request.postData?.text ?? "",
    normalized: mode === "normalized" ? canonicalJson(normalize(entryJsonBody(entry))) : "",
  }));

  const parse = (text: string | undefined): Record<string, unknown> | undefined => {
    try {
      const v = JSON.parse(text ?? "") as unknown;
      return typeof v === "object" && v !== null && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };

  const miss = (request: ReplayRequest, method: string, path: string): undefined => {
    if (!strict) return undefined;
    const body = normalize(parse(request.body));
    const size = JSON.stringify(body ?? null).length;
    // Closest: fewest differing leaves, then the nearest body size.
    let best: { index: number; changes: ReturnType<typeof diffJson>; gap: number } | undefined;
    keys.forEach((key, index) => {
      if (key.method !== method || key.path !== path) return;
      const recorded = normalize(entryJsonBody(entries[index] as HarEntry));
      const changes = diffJson(recorded, body);
      const gap = Math.abs(JSON.stringify(recorded ?? null).length - size);
      if (
        best === undefined ||
        changes.length < best.changes.length ||
        (changes.length === best.changes.length && gap < best.gap)
      ) {
        best = { index, changes, gap };
      }
    });
    const where = `${method} ${path}`;
    if (best === undefined) {
      const paths = [...new Set(keys.map((k) => `${k.method} ${k.path}`))].join(", ");
      throw new CaptureError(
        "replay_miss",
        `no recorded exchange for ${where}; the cassette has ${paths || "no exchanges"}`,
      );
    }
    const first = best.changes[0];
    const detail =
      mode === "in-order"
        ? "the recorded exchanges in order are used up"
        : first === undefined
          ? "it differs only in ignored or volatile fields"
          : `${best.changes.length} difference(s), first at ${first.path || "(body)"}: recorded ${show(first.before)}, got ${show(first.after)}`;
    throw new CaptureError(
      "replay_miss",
      `no recorded exchange matches ${where}; closest is entry #${best.index}: ${detail}`,
    );
  };

  const take = (index: number): HarEntry => {
    used.add(index);
    lastMatch = index;
    return entries[index] as HarEntry;
  };

  return {
    match(request) {
      const method = request.method.toUpperCase();
      const path = pathOf(request.path);
      if (mode === "in-order") {
        const key = keys[next];
        if (key !== undefined && key.method === method && key.path === path) return take(next++);
        return miss(request, method, path);
      }
      const wanted =
        mode === "exact" ? (request.body ?? "") : canonicalJson(normalize(parse(request.body)));
      let repeat: number | undefined;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (key === undefined || key.method !== method || key.path !== path) continue;
        if ((mode === "exact" ? key.text : key.normalized) !== wanted) continue;
        if (!used.has(i)) return take(i);
        if (i === lastMatch || repeat === undefined) repeat = i;
      }
      return repeat !== undefined ? take(repeat) : miss(request, method, path);
    },
  };
}

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? "nothing";
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};
