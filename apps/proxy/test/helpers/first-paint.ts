import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * Loads `url` in `page`, then reloads it (a warm load: the browser's cache holds whatever the
 * first load cached) and returns that load's first contentful paint, in ms from the start of
 * the navigation.
 */
export async function warmFirstPaint(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.reload();
  await page.waitForFunction(
    () => performance.getEntriesByName("first-contentful-paint").length > 0,
  );
  return page.evaluate(
    () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
  );
}

/**
 * A page with nothing to load (a few lines of text from a bare `node:http` server): what this
 * browser on this machine needs to paint anything at all, right now.
 */
export async function startBarePage(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title></head><body><header><strong>switchyard</strong></header><main><p>Loading…</p></main></body></html>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      server.closeAllConnections(); // Chromium keeps its connections alive
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
