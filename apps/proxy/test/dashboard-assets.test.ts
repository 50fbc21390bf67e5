import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DashboardRig, startDashboardRig } from "./helpers/dashboard-rig.js";

/**
 * How `/ui` serves its built files so a warm load of the page asks the proxy for the page
 * alone: the page links its script and stylesheet by content-hashed names that are cached for
 * good, the chart code is a chunk of its own, and the plain names still work (revalidated).
 */
describe("dashboard assets", () => {
  let rig: DashboardRig;
  let html: string;
  beforeAll(async () => {
    rig = await startDashboardRig();
    html = await (await fetch(`${rig.url}/ui/`)).text();
  });
  afterAll(async () => {
    await rig?.close();
  });

  const hrefs = () => ({
    script: /<script type="module" src="\/ui\/(app\.[0-9a-f]{16}\.js)">/.exec(html)?.[1],
    style: /<link rel="stylesheet" href="\/ui\/(app\.[0-9a-f]{16}\.css)">/.exec(html)?.[1],
  });

  it("links content-hashed names, served immutable with their type and length", async () => {
    const { script, style } = hrefs();
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    for (const [name, type] of [
      [script, "text/javascript"],
      [style, "text/css"],
    ]) {
      const res = await fetch(`${rig.url}/ui/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain(type);
      expect(res.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
      const body = await res.arrayBuffer();
      expect(Number(res.headers.get("content-length"))).toBe(body.byteLength);
      // The same bytes as under the plain name, which is revalidated instead.
      const plain = await fetch(`${rig.url}/ui/${name?.replace(/\.[0-9a-f]{16}\./, ".")}`);
      expect(plain.headers.get("cache-control")).toBe("no-cache");
      expect(Buffer.from(await plain.arrayBuffer()).equals(Buffer.from(body))).toBe(true);
      const etag = plain.headers.get("etag") ?? "";
      const again = await fetch(`${rig.url}/ui/${name}`, { headers: { "if-none-match": etag } });
      expect(again.status).toBe(304);
    }
  });

  it("draws the shell (views' links, a placeholder) before the script runs", () => {
    const nav = /<nav id="nav">(.*?)<\/nav>/.exec(html)?.[1] ?? "";
    expect(nav).toContain('<a href="#overview">Overview</a>');
    expect(nav).toContain('<a href="#requests">Live requests</a>');
    expect(html).toContain('<main id="app"><p class="muted">Loading…</p></main>');
  });

  it("keeps uPlot out of the page's script: a chunk fetched when a chart is drawn", async () => {
    const { script } = hrefs();
    const js = await (await fetch(`${rig.url}/ui/${script}`)).text();
    const chunk = /import\("\.\/(chunk-[A-Za-z0-9]+\.js)"\)/.exec(js)?.[1];
    expect(chunk).toBeDefined();
    expect(js).not.toContain("u-legend"); // uPlot's own class names
    const res = await fetch(`${rig.url}/ui/${chunk}`);
    expect(res.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(await res.text()).toContain("u-legend");
    expect(js.length).toBeLessThan(64 * 1024);
  });
});
