import type { RequestLogEntry } from "../server/request-log.js";
import type { OverviewBody } from "../server/traffic-metrics.js";
import type { Style } from "./layout.js";
import type { TopSnapshot } from "./top-client.js";

/** What a view draws from: the last snapshot, the rates, the clock and its box. */
export interface ViewContext {
  /** The last good snapshot; absent until the first refresh answered. */
  snapshot: TopSnapshot | undefined;
  /** The proxy's `GET /overview` for the chosen window, once read. */
  overview: OverviewBody | undefined;
  /** Requests seen, newest first. */
  recent: readonly RequestLogEntry[];
  now: number;
  /** Columns of the body. */
  width: number;
  /** Rows of the body. */
  height: number;
  /** Lines scrolled past (a long view need only draw down to `scroll + height`). */
  scroll: number;
  style: Style;
}

/** A view's lines; the first `pinned` stay in place while the rest scroll. */
export interface ViewOutput {
  lines: string[];
  pinned?: number;
  /** Scrollable lines in all, when the view drew only those down to `scroll + height`. */
  total?: number;
}

/** A view of `switchyard top`. */
export interface TopView {
  key: string;
  title: string;
  /** The heavier endpoints this view reads, fetched only while it shows. */
  needs?: { pool?: boolean; guard?: boolean; overview?: boolean };
  render(context: ViewContext): ViewOutput;
}
