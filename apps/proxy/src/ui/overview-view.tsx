import { useState } from "preact/hooks";
import { getJson } from "./api.js";
import { Chart, colorAt } from "./chart.js";
import { ms, num, pct, usd } from "./format.js";
import { usePoll } from "./hooks.js";
import type { OverviewBody } from "./types.js";

const WINDOWS = ["15m", "1h", "24h"] as const;
const POLL_MS = { "15m": 2000, "1h": 5000, "24h": 30000 } as const;

function Stat(props: { label: string; value: string; id: string }) {
  return (
    <div class="stat" data-stat={props.id}>
      <span class="stat-value">{props.value}</span>
      <span class="stat-label">{props.label}</span>
    </div>
  );
}

function Groups(props: { title: string; rows: OverviewBody["byBackend"] }) {
  return (
    <section class="card">
      <h3>{props.title}</h3>
      <table class="grid">
        <thead>
          <tr>
            <th>name</th>
            <th class="n">requests</th>
            <th class="n">errors</th>
            <th class="n">tokens</th>
            <th class="n">cost</th>
            <th class="n">cost / h</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr>
              <td colSpan={6} class="muted">
                no traffic in this window
              </td>
            </tr>
          ) : (
            props.rows.map((g) => (
              <tr key={g.name}>
                <td>{g.name}</td>
                <td class="n">{num(g.requests)}</td>
                <td class="n">{num(g.errors)}</td>
                <td class="n">{num(g.tokens)}</td>
                <td class="n">{usd(g.costUsd)}</td>
                <td class="n">{usd(g.costPerHourUsd)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}

/** Overview: rates, cost, errors and latency over 15 min / 1 h / 24 h, from `GET /overview`. */
export function OverviewView() {
  const [window, setWindow] = useState<(typeof WINDOWS)[number]>("15m");
  const { data, error } = usePoll(
    () => getJson<OverviewBody>(`/overview?window=${window}`),
    POLL_MS[window],
    [window],
  );
  const perSec = (n: number) => (data ? n / (data.bucketMs / 1000) : 0);
  const perHour = (n: number) => (data ? n * (3_600_000 / data.bucketMs) : 0);
  return (
    <div>
      <div class="toolbar">
        <h2>Overview</h2>
        <fieldset class="segmented" aria-label="window">
          {WINDOWS.map((w) => (
            <button
              type="button"
              key={w}
              class={w === window ? "on" : ""}
              aria-pressed={w === window}
              onClick={() => setWindow(w)}
            >
              {w}
            </button>
          ))}
        </fieldset>
      </div>
      {error && <p class="error">{error}</p>}
      {data && (
        <>
          <div class="stats">
            <Stat id="rps" label="requests / s" value={num(data.totals.requestsPerSec, 2)} />
            <Stat id="tps" label="tokens / s" value={num(data.totals.tokensPerSec, 1)} />
            <Stat id="cost" label="cost / h" value={usd(data.totals.costPerHourUsd)} />
            <Stat id="errors" label="error rate" value={pct(data.totals.errorRate)} />
            <Stat id="p50" label="latency p50" value={ms(data.totals.p50Ms)} />
            <Stat id="p99" label="latency p99" value={ms(data.totals.p99Ms)} />
            <Stat id="requests" label={`requests (${window})`} value={num(data.totals.requests)} />
          </div>
          <div class="charts">
            <Chart
              title="requests / s"
              t={data.series.t}
              format={(n) => n.toFixed(2)}
              series={[
                { label: "requests", values: data.series.requests.map(perSec), color: colorAt(0) },
                { label: "errors", values: data.series.errors.map(perSec), color: colorAt(1) },
              ]}
            />
            <Chart
              title="tokens / s"
              t={data.series.t}
              format={(n) => n.toFixed(0)}
              series={[
                { label: "input", values: data.series.inputTokens.map(perSec), color: colorAt(0) },
                {
                  label: "output",
                  values: data.series.outputTokens.map(perSec),
                  color: colorAt(2),
                },
              ]}
            />
            <Chart
              title="cost / h by backend"
              t={data.series.t}
              format={(n) => `$${n.toFixed(2)}`}
              series={Object.entries(data.series.costByBackend).map(([name, values], i) => ({
                label: name,
                values: values.map(perHour),
                color: colorAt(i),
              }))}
            />
            <Chart
              title="latency"
              t={data.series.t}
              spanGaps
              format={(n) => ms(n)}
              series={[
                { label: "p50", values: data.series.p50Ms, color: colorAt(0) },
                { label: "p99", values: data.series.p99Ms, color: colorAt(1) },
              ]}
            />
          </div>
          <div class="two">
            <Groups title="By backend" rows={data.byBackend} />
            <Groups title="By model" rows={data.byModel} />
          </div>
        </>
      )}
    </div>
  );
}
