import stringWidth from "string-width";
import { fit, formatDuration, type Style } from "./layout.js";
import type { TopView, ViewContext } from "./view-types.js";

/** The state of the screen, besides the data: which view, scroll, connection, prompt. */
export interface FrameState {
  view: number;
  /** Lines scrolled past in the current view's body. */
  scroll: number;
  /** Where the proxy is, shown in the header (never with credentials). */
  address: string;
  connection:
    | { state: "connecting" }
    | { state: "live" }
    | { state: "disconnected"; reason: string; lastOkAt?: number }
    | { state: "error"; reason: string };
  /** A question waiting for y/n (resume). */
  confirm?: string;
  /** A short note for the footer (what the last key did). */
  message?: string;
}

/** Everything {@link renderFrame} draws from. */
export interface FrameInput extends Omit<ViewContext, "width" | "height" | "scroll"> {
  views: readonly TopView[];
  state: FrameState;
  columns: number;
  rows: number;
  style: Style;
}

function header(input: FrameInput): string {
  const { views, state, style, snapshot } = input;
  const tabs = views
    .map((v, i) =>
      i === state.view ? style.bold(`[${v.key} ${v.title}]`) : ` ${v.key} ${v.title} `,
    )
    .join("");
  const version = snapshot?.status.version;
  const left = ` switchyard ${tabs}`;
  // The address (and version) on the right while the tabs leave room for them.
  for (const right of [`${state.address}${version ? ` v${version}` : ""} `, `${state.address} `]) {
    const gap = input.columns - stringWidth(left) - stringWidth(right);
    if (gap >= 1) return style.inverse(left + " ".repeat(gap) + right);
  }
  return style.inverse(fit(left, input.columns));
}

function statusLine(input: FrameInput): string {
  const { state, style, snapshot, now, overview } = input;
  const window = overview === undefined ? "" : ` · window ${overview.window}`;
  const c = state.connection;
  const up = snapshot?.status.uptimeMs;
  if (c.state === "connecting") return style.yellow(`… connecting to ${state.address}`);
  if (c.state === "disconnected") {
    const age =
      c.lastOkAt === undefined ? "" : ` · last data ${formatDuration(now - c.lastOkAt)} ago`;
    return style.red(`✖ disconnected, retrying (${c.reason})${age}`);
  }
  if (c.state === "error") return style.red(`✖ ${c.reason}; retrying`);
  const guard = snapshot?.status.guard;
  const halted = guard?.enabled && guard.state === "halted";
  return (
    `${style.green("● live")}${up === undefined ? "" : ` · up ${formatDuration(up)}`}` +
    ` · in flight ${snapshot?.status.inFlight ?? 0}${window} · guard ` +
    (halted ? style.red("HALTED (r to resume)") : guard?.enabled ? "ok" : "off")
  );
}

function footer(input: FrameInput): string {
  const { state, style } = input;
  if (state.confirm !== undefined)
    return style.inverse(fit(` ${state.confirm} [y/N] `, input.columns));
  if (state.message !== undefined) return style.bold(state.message);
  return style.dim("1-4/tab views · ↑↓ scroll · w window · r resume guard · q quit");
}

/**
 * One full screen: header with the view tabs, a status line, the current view's body (its
 * pinned lines, then the scrolled rest), a footer. Exactly `rows` lines of `columns` cells.
 */
export function renderFrame(input: FrameInput): string[] {
  const { columns, rows, views, state } = input;
  const height = Math.max(0, rows - 3);
  const view = views[state.view] ?? views[0];
  const body: string[] = [];
  if (view !== undefined && height > 0) {
    const out = view.render({ ...input, width: columns, height, scroll: state.scroll });
    const { lines, pinned = 0 } = out;
    const head = lines.slice(0, pinned);
    const rest = lines.slice(pinned);
    const total = out.total ?? rest.length;
    const room = Math.max(0, height - head.length);
    const scroll = Math.max(0, Math.min(state.scroll, total - room));
    body.push(...head, ...rest.slice(scroll, scroll + room));
    const hidden = total - scroll - room;
    if (hidden > 0 && body.length > 0)
      body[body.length - 1] = input.style.dim(`  … ${hidden} more (↓)`);
  }
  while (body.length < height) body.push("");
  const all = [header(input), statusLine(input), ...body.slice(0, height), footer(input)];
  return all.slice(0, rows).map((line) => fit(line, columns));
}

/** The largest useful scroll for a view's body (so ↓ stops at the end). */
export function maxScroll(input: FrameInput): number {
  const view = input.views[input.state.view];
  if (view === undefined) return 0;
  const height = Math.max(0, input.rows - 3);
  const out = view.render({ ...input, width: input.columns, height, scroll: input.state.scroll });
  const pinned = out.pinned ?? 0;
  return Math.max(0, (out.total ?? out.lines.length - pinned) - (height - pinned));
}
