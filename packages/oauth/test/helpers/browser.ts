/**
 * A minimal browser for driving the provider's own pages over HTTP: follows redirects, keeps
 * cookies, submits the one form a page shows (with hidden fields plus `fill`).
 */
export interface TestBrowser {
  /** Follows `url` until `stop(url)` is true (not fetched) or a page without a form. */
  drive(
    url: string,
    options?: { fill?: Record<string, string>; stop?: (url: URL) => boolean },
  ): Promise<{ url: URL; status: number; body: string }>;
}

export function createTestBrowser(): TestBrowser {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const keepCookies = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  };
  return {
    async drive(start, { fill = {}, stop = () => false } = {}) {
      let url = new URL(start);
      let init: RequestInit = { method: "GET" };
      for (let step = 0; step < 25; step++) {
        if (stop(url)) return { url, status: 0, body: "" };
        const response = await fetch(url, {
          ...init,
          redirect: "manual",
          headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() },
        });
        keepCookies(response);
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location) {
          url = new URL(location, url);
          init = { method: "GET" };
          await response.body?.cancel();
          continue;
        }
        const body = await response.text();
        const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(body);
        if (form === null) return { url, status: response.status, body };
        const fields = new URLSearchParams();
        for (const input of form[2]!.matchAll(/<input([^>]*)>/gi)) {
          const name = /name="([^"]*)"/.exec(input[1]!)?.[1];
          if (name === undefined) continue;
          const value = /value="([^"]*)"/.exec(input[1]!)?.[1];
          fields.set(name, fill[name] ?? value?.replace(/&amp;/g, "&") ?? "");
        }
        url = new URL(form[1]!.replace(/&amp;/g, "&"), url);
        init = {
          method: "POST",
          body: fields.toString(),
          headers: { "content-type": "application/x-www-form-urlencoded" },
        };
      }
      throw new Error("too many steps");
    },
  };
}
