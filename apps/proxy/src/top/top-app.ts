import type { OverviewWindow } from "../server/traffic-metrics.js";
import { type FrameInput, type FrameState, maxScroll, renderFrame } from "./frame.js";
import { createStyle } from "./layout.js";
import { createRecentRequests } from "./recent-requests.js";
import { type KeyPress, openFullScreen } from "./terminal.js";
import { createTopClient, TopFetchError, type TopSnapshot } from "./top-client.js";
import { openTopEvents } from "./top-events.js";
import { guardView } from "./view-guard.js";
import { headroomView } from "./view-headroom.js";
import { overviewView } from "./view-overview.js";
import { requestsView } from "./view-requests.js";

/** The views, in key order. */
export const TOP_VIEWS = [overviewView, requestsView, headroomView, guardView] as const;

/** Overview windows `w` cycles through (those `GET /overview` serves). */
const WINDOWS: readonly OverviewWindow[] = ["15m", "1h", "24h"];

/** Options of {@link runTop}. */
export interface RunTopOptions {
  url: string;
  apiKey?: string | undefined;
  /** Lifts the guard's halt; resolves with the line to show, rejects with a user-facing error. */
  resume: () => Promise<string>;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Refresh interval. Default 1000 ms. */
  intervalMs?: number;
  color?: boolean;
  /** First view shown (0-based). */
  view?: number;
}

/** The proxy's address for the header: host and port only (never userinfo). */
function displayAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname.includes(":") ? `[${u.hostname}]` : u.hostname}:${u.port || (u.protocol === "https:" ? 443 : 80)}`;
  } catch {
    return "proxy";
  }
}

/**
 * Runs `switchyard top` until `q`, Ctrl-C, SIGINT, SIGTERM or SIGHUP; resolves with the exit
 * code, the terminal restored. A proxy that goes away shows as "disconnected, retrying".
 * Requests arrive on the event stream (`GET /events?requests=1`, reopened with backoff when
 * the proxy restarts); `GET /requests` is read once per (re)connect to fill the table, and
 * polled only while the stream is down. The snapshots without events (status, pool, guard,
 * overview) are polled every `intervalMs`.
 */
export function runTop(options: RunTopOptions): Promise<number> {
  const { stdin, stdout, intervalMs = 1000 } = options;
  const client = createTopClient({ url: options.url, apiKey: options.apiKey });
  const style = createStyle(options.color ?? false);
  const recent = createRecentRequests(500);
  const state: FrameState = {
    view: options.view ?? 0,
    scroll: 0,
    address: displayAddress(options.url),
    connection: { state: "connecting" },
  };
  let snapshot: TopSnapshot | undefined;
  let lastOkAt: number | undefined;
  let windowIndex = 0;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let messageTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** The event stream is up, and whether the table was filled since it (re)connected. */
  let streaming = false;
  let seeded = false;
  let connects = 0;
  let drawTimer: NodeJS.Timeout | undefined;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });

  const input = (): FrameInput => {
    const now = Date.now();
    return {
      views: TOP_VIEWS,
      state,
      snapshot,
      overview: snapshot?.overview,
      recent: recent.list(),
      now,
      columns: screen.columns,
      rows: screen.rows,
      style,
    };
  };
  const draw = () => {
    if (!stopped) screen.draw(renderFrame(input()));
  };
  /** Many events arrive together (the proxy batches them): one redraw for them all. */
  const drawSoon = () => {
    drawTimer ??= setTimeout(() => {
      drawTimer = undefined;
      draw();
    }, 50);
  };
  const say = (message: string | undefined) => {
    state.message = message;
    clearTimeout(messageTimer);
    if (message !== undefined) messageTimer = setTimeout(() => say(undefined), 6000);
    draw();
  };

  const poll = async () => {
    timer = undefined;
    try {
      const needs = TOP_VIEWS[state.view]?.needs ?? {};
      const window = WINDOWS[windowIndex] ?? "15m";
      const withRequests = !streaming || !seeded;
      // The table is filled for this connection only if it was up before the read began.
      const fillsFor = streaming ? connects : -1;
      const fresh = await client.fetch({
        requests: withRequests,
        pool: needs.pool,
        guard: needs.guard,
        overview: needs.overview ? window : undefined,
      });
      // A view not showing does not ask for its heavy parts: keep the last ones seen (an
      // overview only for the window still chosen).
      const overview = fresh.overview ?? snapshot?.overview;
      snapshot = {
        ...fresh,
        pool: fresh.pool ?? snapshot?.pool,
        guard: fresh.guard ?? snapshot?.guard,
        overview: overview?.window === window ? overview : undefined,
      };
      recent.add(fresh.requests);
      if (withRequests && streaming && fillsFor === connects) seeded = true;
      lastOkAt = snapshot.at;
      failures = 0;
      state.connection = { state: "live" };
    } catch (error) {
      if (!(error instanceof TopFetchError)) throw error;
      failures++;
      state.connection = error.disconnected
        ? { state: "disconnected", reason: error.message, ...(lastOkAt ? { lastOkAt } : {}) }
        : { state: "error", reason: error.message };
    }
    if (stopped) return;
    draw();
    // Back off while the proxy is away, but keep looking: it may be restarting.
    const wait =
      failures === 0 ? intervalMs : Math.min(5000, intervalMs * 2 ** Math.min(failures, 4));
    timer = setTimeout(() => void poll().catch(crash), wait);
  };
  const refreshNow = () => {
    if (timer === undefined) return; // a refresh is under way
    clearTimeout(timer);
    void poll().catch(crash);
  };

  const stop = (code: number) => {
    if (stopped) return;
    stopped = true;
    events.close();
    clearTimeout(timer);
    clearTimeout(drawTimer);
    clearTimeout(messageTimer);
    for (const [signal, handler] of signalHandlers) process.off(signal, handler);
    screen.restore();
    finish(code);
  };
  const crash = (error: unknown) => {
    stop(1);
    process.stderr.write(
      `switchyard top: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  };

  const askResume = () => {
    const guard = snapshot?.status.guard;
    if (guard === undefined) return say("no guard state yet");
    if (!guard.enabled) return say("the overage guard is disabled; nothing to resume");
    if (guard.state !== "halted") return say("the guard is not halted; nothing to resume");
    const n = guard.halts ?? 1;
    state.confirm = `Resume the halted guard (${n} halt${n === 1 ? "" : "s"})? Requests will be served again.`;
    draw();
  };
  const answer = (yes: boolean) => {
    state.confirm = undefined;
    if (!yes) return say("resume cancelled");
    say("resuming…");
    options.resume().then(
      (line) => {
        say(line.trim());
        refreshNow();
      },
      (error: unknown) =>
        say(`resume failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  const onKey = (key: KeyPress) => {
    if (key.ctrl && key.name === "c") return stop(0);
    if (state.confirm !== undefined) return answer(key.name === "y");
    const views = TOP_VIEWS.length;
    const pick = (view: number) => {
      state.view = (view + views) % views;
      state.scroll = 0;
      draw();
      if (TOP_VIEWS[state.view]?.needs) refreshNow();
    };
    const digit = Number(key.sequence);
    if (Number.isInteger(digit) && digit >= 1 && digit <= views) return pick(digit - 1);
    const page = Math.max(1, screen.rows - 5);
    const scrollBy = (n: number) => {
      state.scroll = Math.max(0, Math.min(maxScroll(input()), state.scroll + n));
      draw();
    };
    switch (key.name) {
      case "q":
        return stop(0);
      case "tab":
        return pick(state.view + (key.shift ? -1 : 1));
      case "right":
        return pick(state.view + 1);
      case "left":
        return pick(state.view - 1);
      case "down":
        return scrollBy(1);
      case "up":
        return scrollBy(-1);
      case "pagedown":
        return scrollBy(page);
      case "pageup":
        return scrollBy(-page);
      case "home":
        return scrollBy(-Number.MAX_SAFE_INTEGER);
      case "w":
        windowIndex = (windowIndex + 1) % WINDOWS.length;
        draw();
        return refreshNow();
      case "r":
        return askResume();
    }
  };

  const signalHandlers: Array<[NodeJS.Signals, () => void]> = [
    ["SIGINT", () => stop(0)],
    ["SIGTERM", () => stop(143)],
    ["SIGHUP", () => stop(129)],
  ];
  for (const [signal, handler] of signalHandlers) process.on(signal, handler);
  const screen = openFullScreen({ stdin, stdout, onKey, onResize: draw });
  const events = openTopEvents({
    url: options.url,
    apiKey: options.apiKey,
    onRequest: (entry) => {
      recent.add([entry]);
      drawSoon();
    },
    // A halt or resume shows at once, not at the next poll.
    onGuard: () => refreshNow(),
    // A burst the proxy left out of the stream: read the table again.
    onDropped: () => {
      seeded = false;
      refreshNow();
    },
    onConnection: (up) => {
      streaming = up;
      seeded = false;
      if (up) connects += 1;
      if (up) refreshNow();
    },
  });
  draw();
  void poll().catch(crash);
  return done;
}
