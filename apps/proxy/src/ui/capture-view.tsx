import { useEffect, useState } from "preact/hooks";
import { getJson } from "./api.js";

/** The parts of a HAR 1.2 entry the details view shows (the proxy has already scrubbed it). */
interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    headers: Array<{ name: string; value: string }>;
    postData?: { text?: string };
  };
  response: {
    status: number;
    headers: Array<{ name: string; value: string }>;
    content: { text?: string; mimeType?: string };
  };
}

type Loaded = { entry: HarEntry } | { missing: string } | undefined;

interface CaptureAnswer {
  capturing: boolean;
  entry: HarEntry | null;
  reason?: string;
}

/** A just-finished request's entry may still be on its way to the file: ask a few times. */
const TRIES = 4;
const RETRY_MS = 400;

/** A body as text: JSON pretty-printed when it parses, otherwise as it came. */
function pretty(text: string | undefined): string {
  if (text === undefined || text === "") return "(empty)";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function Headers(props: { list: Array<{ name: string; value: string }> }) {
  return (
    <pre class="capture-text">{props.list.map((h) => `${h.name}: ${h.value}`).join("\n")}</pre>
  );
}

/**
 * The request's capture entry (`GET /capture?id=`), when the proxy records with `--capture`:
 * request and response headers and bodies as the capture file has them (keys scrubbed),
 * always rendered as text.
 */
export function CaptureEntry(props: { requestId: string }) {
  const { requestId } = props;
  const [loaded, setLoaded] = useState<Loaded>(undefined);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setLoaded(undefined);
    const ask = (left: number) => {
      getJson<CaptureAnswer>(`/capture?id=${encodeURIComponent(requestId)}`).then(
        (body) => {
          if (!live) return;
          if (body.entry !== null) setLoaded({ entry: body.entry });
          else if (body.capturing && left > 1) timer = setTimeout(() => ask(left - 1), RETRY_MS);
          else setLoaded({ missing: body.reason ?? "no capture entry" });
        },
        (e: unknown) => live && setLoaded({ missing: e instanceof Error ? e.message : String(e) }),
      );
    };
    ask(TRIES);
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [requestId]);
  if (loaded === undefined) return <p class="muted">capture entry: loading…</p>;
  if ("missing" in loaded) {
    return (
      <p class="muted capture-missing">
        capture entry: <span>{loaded.missing}</span>
      </p>
    );
  }
  const { request, response } = loaded.entry;
  return (
    <section class="capture" aria-label="capture entry">
      <h4>Capture entry</h4>
      <p class="muted">
        {request.method} {request.url} → {response.status} in {Math.round(loaded.entry.time)} ms
        (secrets scrubbed as in the capture file)
      </p>
      <h5>request headers</h5>
      <Headers list={request.headers} />
      <h5>request body</h5>
      <pre class="capture-text capture-request">{pretty(request.postData?.text)}</pre>
      <h5>response headers</h5>
      <Headers list={response.headers} />
      <h5>response body</h5>
      <pre class="capture-text capture-response">{pretty(response.content.text)}</pre>
    </section>
  );
}
