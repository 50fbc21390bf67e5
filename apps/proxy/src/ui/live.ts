import { getJson } from "./api.js";

/** One finished API call as the proxy's request log has it (every field optional but these). */
export interface RequestEntry {
  time: string;
  id: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  ttfbMs?: number;
  route?: string;
  backend?: string;
  model?: string;
  upstreamModel?: string;
  target?: string;
  stream?: boolean;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number | null;
  failovers?: number;
  error?: string;
  clientClosed?: boolean;
  [field: string]: unknown;
}

/** How many requests the page keeps. */
export const KEEP = 500;

/** How often priced requests may make the Guard view re-read `/guard`. */
export const SPEND_REFRESH_MS = 1000;

type Listener = () => void;

/**
 * The live request list: seeded from `GET /requests`, then fed by `GET /events?requests=1`.
 * Guard events (`halt`, `resume`, …) are passed on so the Guard view refreshes at once.
 */
export function createLiveStore() {
  const requests: RequestEntry[] = [];
  const seen = new Set<string>();
  const listeners = new Set<Listener>();
  const guardListeners = new Set<Listener>();
  let state: "connecting" | "live" | "reconnecting" = "connecting";
  let scheduled = false;
  const notify = () => {
    if (scheduled) return;
    scheduled = true;
    // One redraw per frame however many events arrive.
    requestAnimationFrame(() => {
      scheduled = false;
      for (const l of listeners) l();
    });
  };
  const add = (entry: RequestEntry) => {
    if (seen.has(entry.id)) return;
    seen.add(entry.id);
    requests.push(entry);
    if (requests.length > KEEP) {
      const gone = requests.splice(0, requests.length - KEEP);
      for (const g of gone) seen.delete(g.id);
    }
  };
  const isApi = (e: RequestEntry) => e.method === "POST" && e.path.startsWith("/v1/");

  // No `spend` frames (one per priced request): a request frame carries its cost.
  const source = new EventSource("/events?requests=1&spend=0");
  source.addEventListener("open", () => {
    state = "live";
    // Seed (or re-seed after a reconnect) from the ring; the id set drops duplicates.
    getJson<{ requests: RequestEntry[] }>("/requests?limit=500").then((body) => {
      for (const e of body.requests) if (isApi(e)) add(e);
      requests.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
      notify();
    }, notify);
    notify();
  });
  source.addEventListener("error", () => {
    state = "reconnecting";
    notify();
  });
  source.addEventListener("request", (event) => {
    const { request } = JSON.parse((event as MessageEvent<string>).data) as {
      request: RequestEntry;
    };
    add(request);
    notify();
    if (typeof request.costUsd === "number") spent(); // priced: the guard counted it
  });
  const guardChanged = () => {
    for (const l of guardListeners) l();
  };
  for (const type of ["halt", "resume", "warn"]) source.addEventListener(type, guardChanged);
  // A priced request comes with spend (hundreds a second on a busy proxy): the Guard view
  // re-reads `/guard` at most once per SPEND_REFRESH_MS for them, not once each.
  let spendPending = false;
  function spent() {
    if (spendPending) return;
    spendPending = true;
    setTimeout(() => {
      spendPending = false;
      guardChanged();
    }, SPEND_REFRESH_MS);
  }
  return {
    requests: () => requests,
    state: () => state,
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onGuardEvent(listener: Listener) {
      guardListeners.add(listener);
      return () => guardListeners.delete(listener);
    },
  };
}

/** The page's one live store. */
export type LiveStore = ReturnType<typeof createLiveStore>;
