import { Fragment } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { CaptureEntry } from "./capture-view.js";
import { clock, ms, num, usd } from "./format.js";
import type { LiveStore, RequestEntry } from "./live.js";

/** The client API a path belongs to. */
export function dialectOf(path: string): string {
  if (path.startsWith("/v1/messages")) return "anthropic";
  if (path === "/v1/responses") return "responses";
  return "chat";
}

type StatusFilter = "all" | "ok" | "4xx" | "5xx" | "errors";

function statusMatches(filter: StatusFilter, status: number): boolean {
  switch (filter) {
    case "ok":
      return status < 400;
    case "4xx":
      return status >= 400 && status < 500;
    case "5xx":
      return status >= 500;
    case "errors":
      return status >= 400;
    default:
      return true;
  }
}

/** Every field of one request, as text. */
function Details(props: { entry: RequestEntry; onClose: () => void }) {
  const { entry } = props;
  return (
    <aside class="card details" aria-label="request details">
      <div class="toolbar">
        <h3>Request {entry.id}</h3>
        <button type="button" onClick={props.onClose}>
          close
        </button>
      </div>
      <dl class="kv">
        {Object.entries(entry).map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>{typeof v === "string" ? v : JSON.stringify(v)}</dd>
          </Fragment>
        ))}
      </dl>
      {entry.path.startsWith("/v1/") && <CaptureEntry key={entry.id} requestId={entry.id} />}
    </aside>
  );
}

/** Live requests: a table fed by the event stream, filters by backend, model and status. */
export function RequestsView(props: { live: LiveStore }) {
  const { live } = props;
  const [, setTick] = useState(0);
  useEffect(() => live.subscribe(() => setTick((n) => n + 1)), [live]);
  const [backend, setBackend] = useState("");
  const [model, setModel] = useState("");
  const [status, setStatus] = useState<StatusFilter>("all");
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const all = live.requests();
  const backends = useMemo(
    () => [...new Set(all.map((e) => e.backend ?? "(none)"))].sort(),
    [all.length, all],
  );
  const needle = model.trim().toLowerCase();
  const rows = all
    .filter(
      (e) =>
        (backend === "" || (e.backend ?? "(none)") === backend) &&
        (needle === "" || (e.model ?? "").toLowerCase().includes(needle)) &&
        statusMatches(status, e.status),
    )
    .slice(-200)
    .reverse();
  const chosen = selected === undefined ? undefined : all.find((e) => e.id === selected);
  return (
    <div>
      <div class="toolbar">
        <h2>Live requests</h2>
        <span class={`live-state ${live.state()}`}>{live.state()}</span>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          backend{" "}
          <select
            name="backend"
            value={backend}
            onChange={(e) => setBackend((e.target as HTMLSelectElement).value)}
          >
            <option value="">all</option>
            {backends.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          model{" "}
          <input
            name="model"
            type="search"
            placeholder="contains…"
            value={model}
            onInput={(e) => setModel((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          status{" "}
          <select
            name="status"
            value={status}
            onChange={(e) => setStatus((e.target as HTMLSelectElement).value as StatusFilter)}
          >
            <option value="all">all</option>
            <option value="ok">ok</option>
            <option value="errors">errors</option>
            <option value="4xx">4xx</option>
            <option value="5xx">5xx</option>
          </select>
        </label>
        <span class="muted">
          {rows.length} shown of {all.length}
        </span>
      </form>
      <div class={chosen ? "with-details" : ""}>
        <table class="grid requests" id="requests">
          <thead>
            <tr>
              <th>time</th>
              <th>client</th>
              <th>model → backend / target</th>
              <th>route</th>
              <th class="n">status</th>
              <th class="n">latency</th>
              <th class="n">ttfb</th>
              <th class="n">tokens in/out</th>
              <th class="n">cost</th>
              <th class="n">failovers</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr
                key={e.id}
                data-id={e.id}
                class={`${e.status >= 400 ? "bad" : ""} ${e.id === selected ? "sel" : ""}`}
                tabIndex={0}
                onClick={() => setSelected(e.id)}
                onKeyDown={(k) => k.key === "Enter" && setSelected(e.id)}
              >
                <td>{clock(e.time)}</td>
                <td>{dialectOf(e.path)}</td>
                <td class="model">
                  {e.model ?? "–"} → {e.backend ?? "–"}
                  {e.target ? ` / ${e.target}` : ""}
                </td>
                <td>{e.route ?? "–"}</td>
                <td class="n">{e.status}</td>
                <td class="n">{ms(e.latencyMs)}</td>
                <td class="n">{ms(e.ttfbMs)}</td>
                <td class="n">
                  {num(e.inputTokens)} / {num(e.outputTokens)}
                </td>
                <td class="n">{usd(e.costUsd)}</td>
                <td class="n">{e.failovers ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {chosen && <Details entry={chosen} onClose={() => setSelected(undefined)} />}
      </div>
    </div>
  );
}
