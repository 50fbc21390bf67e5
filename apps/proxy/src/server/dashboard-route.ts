import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResponseSink } from "../backends/types.js";
import type { DashboardAuth } from "./dashboard-auth.js";
import { CODE_TTL_MS } from "./dashboard-auth.js";
import { ProxyError } from "./proxy-error.js";
import type { UiAssets } from "./ui-assets.js";

/**
 * The strict policy every `/ui` answer carries: scripts and styles only from the proxy's own
 * files (no inline code, no eval), data only from the proxy, no frames, no forms elsewhere.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": DASHBOARD_CSP,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** Admin endpoints the dashboard reads with its session cookie instead of the key. */
export const DASHBOARD_READS: ReadonlySet<string> = new Set([
  "GET /status",
  "GET /pool",
  "GET /guard",
  "GET /events",
  "GET /overview",
  "GET /requests",
  "GET /config",
  "GET /analytics",
  "GET /capture",
]);

/** Admin actions the dashboard may POST with its cookie, the CSRF token and its own Origin. */
export const DASHBOARD_WRITES: ReadonlySet<string> = new Set([
  "POST /admin/resume",
  "POST /admin/reload",
]);

/** What {@link serveDashboard} needs. */
export interface DashboardContext {
  auth: DashboardAuth;
  assets: UiAssets;
  /** Whether an admin key is set (then a session comes only from a login code). */
  keyed: boolean;
}

/** The page's script and stylesheet under their content-hashed (cached for good) names. */
type Entry = NonNullable<UiAssets["entry"]>;

/**
 * The page shell: static markup (header, the views' names, a placeholder) that paints as soon
 * as the stylesheet is there, before the script runs; no inline code. The script and
 * stylesheet are linked by content-hashed names served `immutable`, so a warm load fetches
 * only this page.
 */
function pageHtml(csrf: string, entry: Entry): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="switchyard-csrf" content="${csrf}">
<title>switchyard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/${entry.style}">
<script type="module" src="/ui/${entry.script}"></script>
</head>
<body>
<header class="top"><strong class="brand">switchyard</strong><nav id="nav">${NAV}</nav></header>
<main id="app"><p class="muted">Loading…</p></main>
</body>
</html>
`;
}

/** The views' links as the script draws them, so the first paint already shows them. */
const NAV = [
  ["overview", "Overview"],
  ["requests", "Live requests"],
  ["pool", "Backends &amp; pool"],
  ["guard", "Guard"],
  ["config", "Config"],
]
  .map(([id, label]) => `<a href="#${id}">${label}</a>`)
  .join("");

function messageHtml(title: string, text: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>switchyard: ${title}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/ui/app.css"></head>
<body><header class="top"><strong class="brand">switchyard</strong></header>
<main class="message"><h1>${title}</h1><p>${text}</p></main></body>
</html>
`;
}

const LOGIN_NEEDED = messageHtml(
  "Log in to the dashboard",
  "This proxy has an admin key. Run <code>switchyard dashboard</code> on this machine: it opens this page with a one-time login code (the key itself never reaches the browser).",
);
const CODE_REFUSED = messageHtml(
  "Login code expired or used",
  "A login code works once and for one minute. Run <code>switchyard dashboard</code> again.",
);

/**
 * Serves everything under `/ui` (the request guard has already checked Host and Origin):
 * `GET /ui` the page, `GET /ui/<asset>` the built files, `GET /ui/login?code=` the code
 * exchange, `POST /ui/login-code` (admin key required) a new one-time code.
 */
export function serveDashboard(request: {
  req: IncomingMessage;
  res: ServerResponse;
  sink: ResponseSink;
  path: string;
  query: string;
  context: DashboardContext;
}): void {
  const { req, sink, path, context } = request;
  const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
  const port = req.socket.localPort ?? 0;
  const { auth } = context;
  const html = (status: number, body: string, extra: Record<string, string> = {}) =>
    sink.bytes(status, body, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      ...SECURITY_HEADERS,
      ...extra,
    });

  if (path === "/ui/login-code") {
    if (method !== "POST") {
      throw new ProxyError("method_not_allowed", "/ui/login-code accepts POST only", {
        allow: "POST",
      });
    }
    const { code, expiresAt } = auth.issueCode();
    sink.json(200, {
      path: `/ui/login?code=${code}`,
      expiresAt: new Date(expiresAt).toISOString(),
      expiresInMs: CODE_TTL_MS,
    });
    return;
  }
  if (method !== "GET") {
    throw new ProxyError("method_not_allowed", `${path} accepts GET only`, { allow: "GET, HEAD" });
  }
  if (path === "/ui/login") {
    const code = new URLSearchParams(request.query).get("code") ?? "";
    const token = code === "" ? undefined : auth.redeem(code);
    if (token === undefined) {
      html(401, CODE_REFUSED);
      return;
    }
    html(303, "", { location: "/ui/", "set-cookie": auth.cookie(token, port) });
    return;
  }
  if (path === "/ui" || path === "/ui/") {
    const entry = context.assets.entry;
    if (entry === undefined) {
      html(
        503,
        messageHtml(
          "Dashboard not built",
          "This build of switchyard has no dashboard files (dist/ui). Run <code>pnpm build</code>.",
        ),
      );
      return;
    }
    if (auth.hasSession(req, port)) {
      html(200, pageHtml(auth.csrfToken, entry));
      return;
    }
    if (context.keyed) {
      html(401, LOGIN_NEEDED);
      return;
    }
    html(200, pageHtml(auth.csrfToken, entry), {
      "set-cookie": auth.cookie(auth.newSession(), port),
    });
    return;
  }
  const asset = context.assets.get(path.slice("/ui/".length));
  if (asset === undefined) throw new ProxyError("not_found", `no such dashboard file: ${path}`);
  if (req.headers["if-none-match"] === asset.etag) {
    sink.bytes(304, "", { etag: asset.etag, ...SECURITY_HEADERS });
    return;
  }
  sink.bytes(200, asset.body, {
    "content-type": asset.type,
    // A hashed name never changes content; a plain one (`app.js`) is revalidated.
    "cache-control": asset.immutable ? "private, max-age=31536000, immutable" : "no-cache",
    etag: asset.etag,
    ...SECURITY_HEADERS,
  });
}
