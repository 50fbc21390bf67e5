import { getJson } from "./api.js";
import { clock, countdown, num, pct } from "./format.js";
import { useNow, usePoll } from "./hooks.js";
import type { LiveStore } from "./live.js";
import type { PoolSnapshot, TargetSnapshot } from "./types.js";

function Bar(props: { label: string; value: number; note: string }) {
  const level = props.value < 0.1 ? "low" : props.value < 0.3 ? "mid" : "ok";
  return (
    <div class="bar-row">
      <span class="bar-label">{props.label}</span>
      <progress class={`bar ${level}`} max={1} value={props.value} />
      <span class="bar-note">{props.note}</span>
    </div>
  );
}

function Target(props: { target: TargetSnapshot; now: number }) {
  const { target: t, now } = props;
  return (
    <div class="target" data-target={t.id}>
      <div class="target-head">
        <strong>{t.id}</strong>
        <span class={`pill ${t.available ? "ok" : "bad"}`}>
          {t.available ? "available" : "waiting"}
        </span>
        <span class={`pill ${t.breaker.state === "closed" ? "ok" : "bad"}`}>
          breaker {t.breaker.state}
        </span>
        {t.cooldownUntil !== null && (
          <span class="pill bad">cooldown {countdown(t.cooldownUntil, now)}</span>
        )}
        <span class="muted">
          health {pct(t.health)} · in flight {t.inFlight} · weight {t.weight}
        </span>
      </div>
      {Object.entries(t.dimensions).length === 0 ? (
        <p class="muted">no rate-limit headers seen yet</p>
      ) : (
        Object.entries(t.dimensions).map(([name, d]) => (
          <Bar
            key={name}
            label={name}
            value={d.headroom}
            note={`${num(d.remaining)} / ${num(d.limit)} · resets in ${countdown(d.resetAt, now)}`}
          />
        ))
      )}
      <p class="muted">
        attempts {t.counts.attempts} · rate limited {t.counts.rateLimited} · failed over{" "}
        {t.counts.failures} · server errors {t.counts.serverErrors} · connection errors{" "}
        {t.counts.connectionErrors}
      </p>
    </div>
  );
}

/** Backends and pool: headroom per dimension with reset countdowns, cooldowns, breaker, errors. */
export function PoolView(props: { live: LiveStore }) {
  const { data, error } = usePoll(
    () => getJson<{ backends: Record<string, PoolSnapshot> }>("/pool"),
    2000,
  );
  const now = useNow(1000);
  const errors = props.live
    .requests()
    .filter((e) => e.status >= 400)
    .slice(-50)
    .reverse();
  const pools = Object.entries(data?.backends ?? {});
  return (
    <div>
      <div class="toolbar">
        <h2>Backends and pool</h2>
      </div>
      {error && <p class="error">{error}</p>}
      {data && pools.length === 0 && (
        <p class="muted">No pooled backend: a backend with `targets` shows its headroom here.</p>
      )}
      {pools.map(([name, snapshot]) => (
        <section class="card" key={name}>
          <h3>
            {name}{" "}
            <span class="muted">
              queued {snapshot.queued} · sticky {snapshot.bindings}
            </span>
          </h3>
          {snapshot.targets.map((t) => (
            <Target key={t.id} target={t} now={now} />
          ))}
        </section>
      ))}
      <section class="card">
        <h3>Recent errors</h3>
        {errors.length === 0 ? (
          <p class="muted">none</p>
        ) : (
          <table class="grid">
            <tbody>
              {errors.map((e) => (
                <tr key={e.id}>
                  <td>{clock(e.time)}</td>
                  <td>{e.backend ?? "–"}</td>
                  <td>{e.target ?? ""}</td>
                  <td>{e.model ?? "–"}</td>
                  <td class="n">{e.status}</td>
                  <td>{e.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
