import { CaptureError } from "./errors.js";
import type { HarEntry, HarNameValue } from "./har.js";

/** Options for {@link createScrubber}. */
export interface ScrubberOptions {
  /** Extra patterns to scrub wherever they occur (a string is a regular expression source). */
  patterns?: readonly (RegExp | string)[];
  /** Literal secrets to scrub wherever they occur (e.g. the proxy's own client key). */
  secrets?: readonly string[];
  /** Extra header names whose whole value is a secret. */
  headers?: readonly string[];
}

/** Replaces secrets with deterministic placeholders; one instance per capture. */
export interface Scrubber {
  /** A scrubbed copy of one HAR entry (headers, query, URL, bodies, SSE text). */
  scrubEntry(entry: HarEntry): HarEntry;
  /** Scrubs key-shaped strings, secret JSON fields and user patterns out of a text. */
  scrubText(text: string): string;
}

/** Headers whose whole value is a credential (the scheme of `authorization` is kept). */
const SECRET_HEADERS = [
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "x-goog-api-key",
  "anthropic-api-key",
  "openai-api-key",
  "x-auth-token",
  "x-amz-security-token",
  "x-switchyard-key",
];

/** Query parameters whose value is a credential. */
const secretQueryName = /key|token|secret|password|passwd|auth|signature|sig$|code$/i;

/** JSON fields whose string value is a credential, in any body (request, response, SSE). */
const secretJsonField =
  /("(?:api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|secret|password|token|authorization|x-api-key)"\s*:\s*")((?:[^"\\]|\\.)*)"/gi;

/**
 * Key-shaped strings, by provider. Each needs a long random tail, so ordinary words and ids
 * do not match. Random hex or base64 without a known prefix is NOT scrubbed (it would hit
 * request ids and hashes); add a pattern for such secrets.
 */
const KEY_SHAPES: readonly [kind: string, pattern: RegExp][] = [
  ["anthropic-key", /sk-ant-[A-Za-z0-9_-]{8,}/g],
  ["openai-key", /sk-(?:proj-|svcacct-|admin-|or-v1-)?[A-Za-z0-9_-]{20,}/g],
  ["groq-key", /gsk_[A-Za-z0-9]{20,}/g],
  ["xai-key", /xai-[A-Za-z0-9]{20,}/g],
  ["google-key", /AIza[0-9A-Za-z_-]{30,}/g],
  ["github-token", /(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g],
  ["huggingface-token", /hf_[A-Za-z0-9]{20,}/g],
  ["aws-key", /(?:AKIA|ASIA)[0-9A-Z]{16}/g],
  ["slack-token", /xox[abprs]-[A-Za-z0-9-]{10,}/g],
  ["jwt", /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g],
  ["bearer", /(?<=\b[Bb]earer\s+)[A-Za-z0-9._~+/-]{12,}=*/g],
];

/** Every key shape in one pass (the first alternative wins, so `sk-ant-` before `sk-`). */
const KEY_SHAPES_ONE_PASS = new RegExp(
  KEY_SHAPES.map(([, re], i) => `(?<k${i}>${re.source})`).join("|"),
  "g",
);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Creates a scrubber. Every distinct secret gets a placeholder `<scrubbed:KIND#N>`, numbered
 * in order of first appearance, so the same key is the same placeholder everywhere in a
 * capture and two captures of the same tool (with different keys) still diff cleanly.
 *
 * @example
 * const scrubber = createScrubber({ patterns: [/CORP-[0-9]{6}/g] });
 * scrubber.scrubText("key sk-ant-api03-abcdefghijkl"); // "key <scrubbed:anthropic-key#1>"
 */
export function createScrubber(options: ScrubberOptions = {}): Scrubber {
  const placeholders = new Map<string, string>();
  const counts = new Map<string, number>();
  const placeholder = (kind: string, secret: string): string => {
    const known = placeholders.get(secret);
    if (known !== undefined) return known;
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    const made = `<scrubbed:${kind}#${n}>`;
    placeholders.set(secret, made);
    return made;
  };
  const user: [string, RegExp][] = [];
  for (const secret of options.secrets ?? []) {
    if (secret.length >= 4) user.push(["secret", new RegExp(escapeRegExp(secret), "g")]);
  }
  for (const pattern of options.patterns ?? []) {
    try {
      const re =
        typeof pattern === "string"
          ? new RegExp(pattern, "g")
          : new RegExp(
              pattern.source,
              pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
            );
      if (re.test("")) throw new Error("matches the empty string");
      user.push(["pattern", re]);
    } catch (error) {
      throw new CaptureError(
        "invalid_pattern",
        `scrub pattern ${String(pattern)}: ${(error as Error).message}`,
      );
    }
  }
  const shapes = user;
  const secretHeaders = new Set([
    ...SECRET_HEADERS,
    ...(options.headers ?? []).map((h) => h.toLowerCase()),
  ]);

  const scrubText = (text: string): string => {
    let out = text.replace(secretJsonField, (_m, head: string, value: string) =>
      value.startsWith("<scrubbed:") || value.length === 0
        ? `${head}${value}"`
        : `${head}${placeholder("secret", value)}"`,
    );
    for (const [kind, re] of shapes) {
      re.lastIndex = 0;
      out = out.replace(re, (secret) => placeholder(kind, secret));
    }
    return out.replace(KEY_SHAPES_ONE_PASS, (secret, ...rest) => {
      const groups = rest.at(-1) as Record<string, string | undefined>;
      const i = Object.keys(groups).findIndex((name) => groups[name] !== undefined);
      return placeholder(KEY_SHAPES[i]?.[0] ?? "key", secret);
    });
  };

  const scrubHeader = (header: HarNameValue): HarNameValue => {
    const name = header.name.toLowerCase();
    const { value } = header;
    if (secretHeaders.has(name)) {
      const scheme = /^(\w+)\s+(\S.*)$/.exec(value);
      if (scheme && (name === "authorization" || name === "proxy-authorization")) {
        return {
          name: header.name,
          value: `${scheme[1]} ${placeholder("token", scheme[2] ?? "")}`,
        };
      }
      return {
        name: header.name,
        value: placeholder(name === "x-api-key" ? "api-key" : "token", value),
      };
    }
    if (name === "cookie") return { name: header.name, value: scrubCookies(value, "; ") };
    if (name === "set-cookie") {
      const semi = value.indexOf(";");
      const pair = semi < 0 ? value : value.slice(0, semi);
      return {
        name: header.name,
        value: scrubCookies(pair, "; ") + (semi < 0 ? "" : value.slice(semi)),
      };
    }
    return { name: header.name, value: scrubText(value) };
  };

  const scrubCookies = (value: string, separator: string): string =>
    value
      .split(/;\s*/)
      .map((pair) => {
        const eq = pair.indexOf("=");
        return eq < 0 ? pair : `${pair.slice(0, eq)}=${placeholder("cookie", pair.slice(eq + 1))}`;
      })
      .join(separator);

  const scrubQuery = (query: HarNameValue): HarNameValue =>
    secretQueryName.test(query.name) && query.value.length > 0
      ? { name: query.name, value: placeholder("token", query.value) }
      : { name: query.name, value: scrubText(query.value) };

  const scrubUrl = (url: string, query: HarNameValue[], scrubbed: HarNameValue[]): string => {
    let out = url;
    query.forEach((q, i) => {
      const after = scrubbed[i]?.value ?? "";
      if (after === q.value) return;
      for (const raw of new Set([
        encodeURIComponent(q.value),
        q.value.replace(/ /g, "+"),
        q.value,
      ])) {
        out = out.split(raw).join(encodeURIComponent(after));
      }
    });
    return scrubText(out);
  };

  return {
    scrubText,
    scrubEntry(entry) {
      const { request, response } = entry;
      const queryString = request.queryString.map(scrubQuery);
      return {
        ...entry,
        request: {
          ...request,
          url: scrubUrl(request.url, request.queryString, queryString),
          headers: request.headers.map(scrubHeader),
          cookies: request.cookies.map((c) => ({ ...c, value: placeholder("cookie", c.value) })),
          queryString,
          ...(request.postData
            ? { postData: { ...request.postData, text: scrubText(request.postData.text) } }
            : {}),
        },
        response: {
          ...response,
          headers: response.headers.map(scrubHeader),
          cookies: response.cookies.map((c) => ({ ...c, value: placeholder("cookie", c.value) })),
          content: scrubContent(response.content, scrubText),
        },
      };
    },
  };
}

/** Scrubs a response body; SSE event ends are re-mapped when a placeholder changes the length. */
function scrubContent(content: HarEntry["response"]["content"], scrubText: (t: string) => string) {
  const { text, _sseEvents: events } = content;
  if (text === undefined) return { ...content };
  if (events === undefined) {
    const scrubbed = scrubText(text);
    return { ...content, text: scrubbed, size: byteLength(scrubbed) };
  }
  let out = "";
  let start = 0;
  const mapped = events.map((event) => {
    out += scrubText(text.slice(start, event.end));
    start = event.end;
    return { offsetMs: event.offsetMs, end: out.length };
  });
  if (start < text.length) out += scrubText(text.slice(start));
  return { ...content, text: out, size: byteLength(out), _sseEvents: mapped };
}

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).byteLength;
