import { afterEach, describe, expect, it } from "vitest";
import { runDashboard } from "../src/cli/dashboard.js";
import { type DashboardRig, startDashboardRig } from "./helpers/dashboard-rig.js";

const ADMIN_KEY = "sy-admin-Jq7vX2pL9mR4tW8zK3nB6cF1";

let rig: DashboardRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The session cookie a `Set-Cookie` carries, as a `Cookie` header value. */
const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
const csrfOf = (html: string) => /name="switchyard-csrf" content="([^"]+)"/.exec(html)?.[1] ?? "";

/** Halts the guard through a billing signal on the `oa` backend. */
async function halt(r: DashboardRig) {
  r.state.mode = "payment-required";
  await r.chat("gpt-x").catch(() => {});
  r.state.mode = "ok";
  const guard = (await (
    await fetch(`${r.url}/guard`, { headers: { "x-api-key": ADMIN_KEY } })
  ).json()) as { state: string };
  expect(guard.state).toBe("halted");
}

describe("dashboard security without an admin key", () => {
  it("serves /ui with a strict CSP, an HttpOnly SameSite=Strict session and a CSRF token", async () => {
    rig = await startDashboardRig();
    const res = await fetch(`${rig.url}/ui`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const html = await res.text();
    expect(html).not.toMatch(/<script>|<style|style=|onload=/);
    expect(csrfOf(html)).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const js = await fetch(`${rig.url}/ui/app.js`);
    expect(js.headers.get("content-type")).toContain("javascript");
    const size = (await js.arrayBuffer()).byteLength;
    expect(size).toBeLessThan(300 * 1024);
  });

  it("a cookie-carrying Resume needs the CSRF token and the proxy's own Origin", async () => {
    rig = await startDashboardRig();
    const page = await fetch(`${rig.url}/ui/`);
    const cookie = cookieOf(page);
    const csrf = csrfOf(await page.text());
    await halt(rig);
    const resume = (headers: Record<string, string>) =>
      fetch(`${rig?.url}/admin/resume`, { method: "POST", headers: { cookie, ...headers } });
    const noToken = await resume({ origin: rig.url });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: { message: string } }).error.message).toContain(
      "CSRF",
    );
    expect((await resume({ origin: rig.url, "x-switchyard-csrf": "nope" })).status).toBe(403);
    const otherOrigin = await resume({ origin: "http://127.0.0.1:1", "x-switchyard-csrf": csrf });
    expect(otherOrigin.status).toBe(403);
    expect((await fetch(`${rig.url}/guard`).then((r) => r.json())).state).toBe("halted");
    const ok = await resume({ origin: rig.url, "x-switchyard-csrf": csrf });
    expect(ok.status).toBe(200);
    expect((await fetch(`${rig.url}/guard`).then((r) => r.json())).state).toBe("ok");
  });

  it("keeps the Host check on /ui (DNS rebinding)", async () => {
    rig = await startDashboardRig();
    const { request } = await import("undici");
    const res = await request(`${rig.url}/ui/`, { headers: { host: "evil.example:80" } });
    expect(res.statusCode).toBe(403);
    await res.body.text();
  });
});

describe("dashboard security with an admin key", () => {
  it("needs a login: `switchyard dashboard` mints a one-time code traded for a cookie", async () => {
    rig = await startDashboardRig({ apiKey: ADMIN_KEY });
    const url = rig.url;
    const bare = await fetch(`${url}/ui/`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get("set-cookie")).toBeNull();
    expect(await bare.text()).toContain("switchyard dashboard");
    // A page cannot mint a code: it needs the key.
    expect((await fetch(`${url}/ui/login-code`, { method: "POST" })).status).toBe(401);

    const opened: string[] = [];
    const port = new URL(url).port;
    const out = await runDashboard({
      env: { SWITCHYARD_API_KEY: ADMIN_KEY, BROWSER: "my-browser" },
      flags: { port, host: "127.0.0.1" },
      open: async (command, link) => {
        opened.push(`${command} ${link}`);
        return true;
      },
    });
    expect(opened).toHaveLength(1);
    const link = (opened[0] ?? "").split(" ")[1] ?? "";
    expect(opened[0]).toMatch(/^my-browser http:\/\/127\.0\.0\.1:\d+\/ui\/login\?code=/);
    expect(out).toContain("opened the switchyard dashboard");
    expect(out).not.toContain(ADMIN_KEY);

    const login = await fetch(link, { redirect: "manual" });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/ui/");
    const cookie = cookieOf(login);
    expect(cookie).not.toContain(ADMIN_KEY);
    // The code works once.
    expect((await fetch(link, { redirect: "manual" })).status).toBe(401);

    const pageRes = await fetch(`${url}/ui/`, { headers: { cookie } });
    expect(pageRes.status).toBe(200);
    const html = await pageRes.text();
    expect(html).not.toContain(ADMIN_KEY);
    // The cookie reads the admin API; without it (and without the key) the API refuses.
    expect((await fetch(`${url}/status`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${url}/status`)).status).toBe(401);
    // …but it is not a key for the model API.
    const api = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ model: "echo:x", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(api.status).toBe(401);
  });

  it("prints the link where there is no browser", async () => {
    rig = await startDashboardRig({ apiKey: ADMIN_KEY });
    const out = await runDashboard({
      env: { SWITCHYARD_API_KEY: ADMIN_KEY },
      flags: { port: new URL(rig.url).port, host: "127.0.0.1" },
      platform: "linux",
      open: async () => {
        throw new Error("must not open a browser without a display");
      },
    });
    expect(out).toMatch(
      /^open the switchyard dashboard: http:\/\/127\.0\.0\.1:\d+\/ui\/login\?code=/,
    );
  });

  it("refuses to mint a code without the right key, and says so", async () => {
    rig = await startDashboardRig({ apiKey: ADMIN_KEY });
    await expect(
      runDashboard({
        env: { SWITCHYARD_API_KEY: "wrong-key-0000000000000000" },
        flags: { port: new URL(rig.url).port, host: "127.0.0.1" },
        noOpen: true,
      }),
    ).rejects.toThrow(/refused a dashboard login \(HTTP 401\)/);
  });
});
