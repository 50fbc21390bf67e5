import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "uplot/dist/uPlot.min.css";
import "./app.css";
import { ConfigView } from "./config-view.js";
import { GuardView } from "./guard-view.js";
import { createLiveStore } from "./live.js";
import { OverviewView } from "./overview-view.js";
import { PoolView } from "./pool-view.js";
import { RequestsView } from "./requests-view.js";

const VIEWS = [
  ["overview", "Overview"],
  ["requests", "Live requests"],
  ["pool", "Backends & pool"],
  ["guard", "Guard"],
  ["config", "Config"],
] as const;
type ViewId = (typeof VIEWS)[number][0];

const current = (): ViewId => {
  const id = location.hash.slice(1);
  return VIEWS.some(([v]) => v === id) ? (id as ViewId) : "overview";
};

function useView(): ViewId {
  const [view, setView] = useState(current);
  useEffect(() => {
    const on = () => setView(current());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return view;
}

function Nav() {
  const view = useView();
  return (
    <>
      {VIEWS.map(([id, label]) => (
        <a
          key={id}
          href={`#${id}`}
          class={id === view ? "on" : ""}
          aria-current={id === view ? "page" : undefined}
        >
          {label}
        </a>
      ))}
    </>
  );
}

const live = createLiveStore();

function App() {
  const view = useView();
  switch (view) {
    case "requests":
      return <RequestsView live={live} />;
    case "pool":
      return <PoolView live={live} />;
    case "guard":
      return <GuardView live={live} />;
    case "config":
      return <ConfigView />;
    default:
      return <OverviewView />;
  }
}

function start() {
  const nav = document.getElementById("nav");
  const app = document.getElementById("app");
  if (nav) {
    // The page came with the links already drawn; the script takes them over.
    nav.textContent = "";
    render(<Nav />, nav);
  }
  if (app) {
    app.textContent = "";
    render(<App />, app);
  }
}

// The page's static shell (header, links, "Loading…") paints first: the views are drawn
// after that frame, so the first paint never waits for this script's work. A tab opened in
// the background draws no frames: it starts at once.
if (document.visibilityState === "visible") requestAnimationFrame(() => setTimeout(start, 0));
else start();
