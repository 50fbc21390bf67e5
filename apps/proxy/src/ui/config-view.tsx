import { useState } from "preact/hooks";
import { getJson, postAdmin } from "./api.js";
import { clock } from "./format.js";
import { usePoll } from "./hooks.js";
import type { ConfigView as ConfigBody, ReloadResult } from "./types.js";

/** Config: the effective config, redacted, with each value's source; Reload and its result. */
export function ConfigView() {
  const { data, error, refresh } = usePoll(() => getJson<ConfigBody>("/config"), 10_000);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const reload = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await postAdmin<ReloadResult>("/admin/reload");
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const last = data?.reload?.last ?? null;
  return (
    <div>
      <div class="toolbar">
        <h2>Config</h2>
        <button type="button" id="reload" disabled={busy || data?.reload === null} onClick={reload}>
          Reload
        </button>
      </div>
      {error && <p class="error">{error}</p>}
      {failure && <p class="error">{failure}</p>}
      {data && (
        <>
          <p class="muted">
            {data.configPath}
            {data.configFileExists ? "" : " (not found: defaults and environment)"}
            {data.reload?.watching ? " · watched for changes" : ""}
          </p>
          {last && (
            <p class={last.ok ? "ok-line" : "error"} id="reload-result">
              last reload {clock(last.at)} ({last.trigger}): {last.message}
            </p>
          )}
          {data.warnings.map((w) => (
            <p class="error" key={w}>
              warning: {w}
            </p>
          ))}
          <table class="grid config">
            <thead>
              <tr>
                <th>key</th>
                <th>value</th>
                <th>source</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.path}>
                  <td>{r.path}</td>
                  <td class="value">{r.value}</td>
                  <td>{r.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
