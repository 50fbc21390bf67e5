import { mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, type DashboardRig, startDashboardRig } from "./helpers/dashboard-rig.js";
import { median, startBarePage, warmFirstPaint } from "./helpers/first-paint.js";

/**
 * The dashboard in real headless Chromium (Debian's `chromium`, driven by playwright-core).
 * Screenshots of every view go to `test-results/screenshots/`, or to `docs/screenshots/` (the
 * ones the README shows) with UPDATE_SCREENSHOTS=1.
 */
const executablePath = chromiumPath();
if (executablePath === undefined) {
  console.warn(
    "dashboard-browser.test.ts SKIPPED: no chromium found (apt-get install chromium, or set CHROMIUM_PATH); .ci/run installs it",
  );
}

const shots = fileURLToPath(
  process.env.UPDATE_SCREENSHOTS === "1"
    ? new URL("../../../docs/screenshots/", import.meta.url)
    : new URL("../test-results/screenshots/", import.meta.url),
);

const XSS_MODEL = "<img src=x onerror=alert(1)>";
/** Warm loads whose median first paint is judged. */
const PAINT_LOADS = 9;
/**
 * Up to this, a bare page's first paint is taken as an idle machine's (then the dashboard must
 * paint within 100 ms); a machine that paints even the bare page later is that many times
 * slower, and the 100 ms scale with it (the page's own work slows down as much as the floor).
 */
const IDLE_FLOOR_MS = 40;

describe.skipIf(executablePath === undefined)("dashboard in Chromium", { timeout: 90_000 }, () => {
  let browser: Browser;
  let rig: DashboardRig;
  let context: BrowserContext;
  let page: Page;
  /** Every URL the page asked for, and every console error / CSP report / dialog. */
  const requested: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    rig = await startDashboardRig({}, { capture: true });
    browser = await chromium.launch({
      executablePath,
      headless: true,
      // Root in CI needs --no-sandbox; no name resolves, so nothing could come from a network.
      args: ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
    });
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    // No Playwright wait may outlast a test: a stuck step fails with its own message.
    context.setDefaultTimeout(20_000);
    context.setDefaultNavigationTimeout(20_000);
    page = await context.newPage();
    page.on("request", (r) => requested.push(r.url()));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("dialog", (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  it("loads offline from the proxy alone, under a strict CSP, and paints fast", async () => {
    const res = await page.goto(`${rig.url}/ui/`);
    expect(res?.status()).toBe(200);
    const csp = res?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    await page.locator('[data-stat="rps"]').waitFor({ timeout: 10_000 });
    await page.locator("nav a", { hasText: "Live requests" }).waitFor();
    const origin = new URL(rig.url).origin;
    expect(requested.length).toBeGreaterThan(2);
    expect(requested.filter((u) => !u.startsWith(origin))).toEqual([]);
    const cold = await page.evaluate(
      () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
    ); // includes the browser's own start-up work
    // Warm loads of the dashboard, each paired with one of a bare page (the browser's floor on
    // this machine at that moment); medians, so one slow load does not decide.
    const bare = await startBarePage();
    const dashboard: number[] = [];
    const floor: number[] = [];
    try {
      for (let i = 0; i < PAINT_LOADS; i++) {
        floor.push(await warmFirstPaint(page, bare.url));
        dashboard.push(await warmFirstPaint(page, `${rig.url}/ui/`));
      }
    } finally {
      await bare.close();
    }
    await page.locator('[data-stat="rps"]').waitFor();
    const warm = median(dashboard);
    const base = median(floor);
    console.log(
      `dashboard first contentful paint: ${warm.toFixed(0)} ms (median of ${PAINT_LOADS} warm loads: ${dashboard.map((n) => n.toFixed(0)).join(" ")}; first load ${cold.toFixed(0)} ms; a bare page ${base.toFixed(0)} ms)`,
    );
    expect(warm).toBeGreaterThan(0);
    // Under 100 ms where the browser paints a bare page within IDLE_FLOOR_MS (an idle
    // loopback); scaled by how much slower than that this machine paints it right now.
    expect(warm).toBeLessThan(100 * Math.max(1, base / IDLE_FLOOR_MS));
    expect(problems).toEqual([]);
  });

  /** Opens the live table (a fresh page: no filters) once its event stream is up. */
  const openLive = async () => {
    await page.goto(`${rig.url}/ui/#requests`);
    await page.locator(".live-state.live").waitFor({ timeout: 10_000 });
  };

  it("shows a request in the live table within 1 s of its answer", async () => {
    await openLive();
    await rig.chat("live-check-model");
    const answered = Date.now();
    await page
      .locator("#requests tbody tr", { hasText: "live-check-model" })
      .waitFor({ timeout: 10_000 });
    const elapsed = Date.now() - answered;
    console.log(`request visible ${elapsed} ms after its answer`);
    // The aim is 1 s (events are batched every 100 ms; 70–330 ms measured alone); a machine
    // loaded by a parallel test run gets three.
    expect(elapsed).toBeLessThan(3000);
  });

  it("filters by backend, model and status, and a row opens its details", async () => {
    await openLive();
    await rig.chat("pool-alpha");
    await rig.chat("gpt-filter");
    rig.a.mode = { kind: "status", status: 500 };
    rig.b.mode = { kind: "status", status: 500 };
    await rig.chat("pool-broken").catch(() => {}); // both targets fail: a 502
    rig.restoreTargets();
    const rows = page.locator("#requests tbody tr");
    await rows.filter({ hasText: "pool-broken" }).waitFor({ timeout: 5000 });

    await page.selectOption('select[name="backend"]', "pooled");
    await expect
      .poll(() => rows.allInnerTexts())
      .toSatisfy((t: string[]) => t.length > 0 && t.every((r) => r.includes("pooled")));
    await page.selectOption('select[name="backend"]', "");
    await page.fill('input[name="model"]', "gpt-fil");
    await expect
      .poll(() => rows.allInnerTexts())
      .toSatisfy((t: string[]) => t.length === 1 && (t[0] ?? "").includes("gpt-filter"));
    await page.fill('input[name="model"]', "");
    await page.selectOption('select[name="status"]', "errors");
    await expect
      .poll(() => rows.allInnerTexts())
      .toSatisfy((t: string[]) => t.length >= 1 && t.every((r) => r.includes("pool-broken")));
    await page.selectOption('select[name="status"]', "all");
    await rows.filter({ hasText: "pool-alpha" }).first().click();
    const details = page.locator("aside.details");
    await expect.poll(() => details.textContent()).toContain("upstreamModel");
    await page.screenshot({ path: `${shots}requests.png` });
  });

  it("opens a row's capture entry (the proxy records with --capture), keys scrubbed", async () => {
    await openLive();
    await rig.chat("pool-captured");
    const row = page.locator("#requests tbody tr", { hasText: "pool-captured" }).first();
    await row.waitFor({ timeout: 5000 });
    const id = await row.getAttribute("data-id");
    await row.click();
    const capture = page.locator('aside.details section[aria-label="capture entry"]');
    await capture.waitFor({ timeout: 5000 });
    expect(await capture.locator(".capture-request").textContent()).toContain('"pool-captured"');
    expect(await capture.locator(".capture-response").textContent()).toContain("chat.completion");
    const text = (await capture.textContent()) ?? "";
    expect(text).toContain("authorization: Bearer <scrubbed:token#");
    expect(text).not.toContain("Bearer x");
    // The same entry, by the request log's id, from the admin endpoint the page used.
    const res = await fetch(`${rig.url}/capture?id=${id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      capturing: boolean;
      entry: { _switchyard: { requestId: string } };
    };
    expect(body.capturing).toBe(true);
    expect(body.entry._switchyard.requestId).toBe(id);
    // The admin endpoint itself is never recorded.
    const gone = (await (await fetch(`${rig.url}/capture?id=nope`)).json()) as { entry: unknown };
    expect(gone.entry).toBeNull();
    await page.screenshot({ path: `${shots}capture.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it("renders a hostile model name as text and runs no script", async () => {
    await openLive();
    await rig.chat(XSS_MODEL);
    const cell = page.locator("#requests tbody td.model", { hasText: XSS_MODEL });
    await cell.first().waitFor({ timeout: 5000 });
    expect(await page.locator("#requests img").count()).toBe(0);
    await page.goto(`${rig.url}/ui/#overview`);
    await page.locator('[data-stat="rps"]').waitFor();
    await expect.poll(() => page.locator("body").textContent()).toContain(XSS_MODEL);
    expect(await page.locator("main img").count()).toBe(0);
    expect(requested.some((u) => u.endsWith("/x"))).toBe(false);
    expect(problems).toEqual([]);
  });

  it("takes screenshots of the overview, pool and config views", async () => {
    await page.goto(`${rig.url}/ui/#overview`);
    await page.locator(".chart").first().waitFor();
    await page.screenshot({ path: `${shots}overview.png`, fullPage: true });
    await page.goto(`${rig.url}/ui/#pool`);
    await page.locator('[data-target="east"] progress').first().waitFor({ timeout: 5000 });
    await page.screenshot({ path: `${shots}pool.png`, fullPage: true });
    await page.goto(`${rig.url}/ui/#config`);
    await page.locator("table.config").waitFor();
    const text = await page.locator("table.config").textContent();
    expect(text).toContain("backends.oa.apiKey");
    expect(text).not.toContain("sk-test-oa");
    await page.screenshot({ path: `${shots}config.png`, fullPage: true });
  });

  it("re-reads the guard once a second for a burst of priced requests, not once each", async () => {
    await openLive(); // the page's event stream is up
    await page.click('nav a[href="#guard"]');
    await page.locator("#guard-state").waitFor({ timeout: 5000 });
    const guardReads: number[] = [];
    const onRequest = (r: { url(): string }) => {
      if (new URL(r.url()).pathname === "/guard") guardReads.push(Date.now());
    };
    page.on("request", onRequest);
    const started = Date.now();
    // 20 priced requests (each request frame carries its cost) in a burst.
    await Promise.all(Array.from({ length: 20 }, (_, i) => rig.chat(`pool-burst-${i}`)));
    // The re-read comes within about a second of the first priced request frame (later on a
    // loaded machine); then a little more time for any further re-reads to show.
    await expect.poll(() => guardReads.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1000));
    page.off("request", onRequest);
    const seconds = (Date.now() - started) / 1000;
    // One per second at most for the priced requests, plus the view's own poll (every 3 s);
    // without the limit it is one per request (21 seen).
    expect(guardReads.length).toBeLessThanOrEqual(Math.ceil(seconds) * 2 + 1);
  });

  it("shows a halted guard with its reason, and Resume clears it", async () => {
    for (let i = 0; i < 3; i++) await rig.chat("gpt-spend").catch(() => {});
    await page.goto(`${rig.url}/ui/#guard`);
    await page.locator("#guard-state.halted").waitFor({ timeout: 5000 });
    expect(await page.locator("#halt-reason").textContent()).toContain("oa-daily");
    await page.screenshot({ path: `${shots}guard.png`, fullPage: true });
    await page.click("#resume");
    await page.locator("#guard-state.ok").waitFor({ timeout: 5000 });
    const guard = (await (await fetch(`${rig.url}/guard`)).json()) as { state: string };
    expect(guard.state).toBe("ok");
  });

  it("refuses Resume from another origin (a real page on another port)", async () => {
    rig.state.mode = "payment-required"; // a billing signal halts again
    await rig.chat("gpt-spend").catch(() => {});
    rig.state.mode = "ok";
    await expect
      .poll(
        async () => ((await (await fetch(`${rig.url}/guard`)).json()) as { state: string }).state,
      )
      .toBe("halted");
    const target = `${rig.url}/admin/resume`;
    const evil: Server = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<!doctype html><title>evil</title>
<form id="f" method="POST" action="${target}"><input name="x" value="1"></form>
<script>
const done = (t) => { document.title = t; };
fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", credentials: "include" })
  .then(() => fetch(${JSON.stringify(target)}, { method: "POST", credentials: "include", headers: { "x-switchyard-csrf": "guess" } }))
  .catch(() => {})
  .finally(() => { done("fetched"); document.getElementById("f").submit(); });
</script>`);
    });
    await new Promise<void>((r) => evil.listen(0, "127.0.0.1", () => r()));
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
    // The same browser context holds the dashboard's session cookie (same site: ports differ).
    const evilPage = await context.newPage();
    try {
      const posted = evilPage.waitForRequest(
        (r) => r.url() === target && r.method() === "POST" && r.resourceType() === "document",
        { timeout: 10_000 },
      );
      // The page submits its form as soon as its fetches settle: do not wait for its load.
      await evilPage.goto(evilUrl, { waitUntil: "commit" });
      const formPost = await posted;
      const answer = await Promise.race([
        formPost.response(),
        new Promise<null>((r) => setTimeout(() => r(null), 10_000)),
      ]);
      expect(answer?.status()).toBe(403);
    } finally {
      // Closing a page whose form navigation just got its 403 can hang in Chromium 156 (90 s
      // seen in a clean-clone run): bounded; the browser is closed after the suite anyway.
      await Promise.race([evilPage.close(), new Promise((r) => setTimeout(r, 3000))]);
      evil.closeAllConnections(); // Chromium keeps its connections alive
      await Promise.race([
        new Promise((r) => evil.close(r)),
        new Promise((r) => setTimeout(r, 3000)),
      ]);
    }
    const after = (await (await fetch(`${rig.url}/guard`)).json()) as { state: string };
    expect(after.state).toBe("halted");
    const log = (await (await fetch(`${rig.url}/requests?limit=50`)).json()) as {
      requests: Array<{ path: string; method: string; status: number }>;
    };
    const refused = log.requests.filter((e) => e.path === "/admin/resume" && e.status === 403);
    expect(refused.length).toBeGreaterThanOrEqual(2); // the no-cors fetch and the form
    // Only the page's own origin with its token gets through (a fresh load: same URL, new page).
    await page.goto(`${rig.url}/ui/?again#guard`);
    await page.click("#resume");
    await page.locator("#guard-state.ok").waitFor({ timeout: 5000 });
  });
});
