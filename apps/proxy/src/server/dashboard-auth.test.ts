import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { CODE_TTL_MS, createDashboardAuth, readCookie, SESSION_TTL_MS } from "./dashboard-auth.js";

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe("dashboard auth", () => {
  it("a code works once and only within its minute; a session lasts its TTL on its own port", () => {
    let now = 1_000;
    const auth = createDashboardAuth({ now: () => now });
    const late = auth.issueCode();
    now += CODE_TTL_MS;
    expect(auth.redeem(late.code)).toBeUndefined();
    const { code } = auth.issueCode();
    const token = auth.redeem(code);
    expect(token).toBeDefined();
    expect(auth.redeem(code)).toBeUndefined();
    const cookie = auth.cookie(token ?? "", 4000).split(";")[0] ?? "";
    expect(auth.hasSession(req({ cookie }), 4000)).toBe(true);
    expect(auth.hasSession(req({ cookie }), 4001)).toBe(false);
    expect(auth.hasSession(req({ cookie: "switchyard_ui_4000=forged" }), 4000)).toBe(false);
    now += SESSION_TTL_MS;
    expect(auth.hasSession(req({ cookie }), 4000)).toBe(false);
  });

  it("checks the CSRF header against the per-process token", () => {
    const auth = createDashboardAuth();
    expect(auth.checkCsrf(req({ "x-switchyard-csrf": auth.csrfToken }))).toBe(true);
    expect(auth.checkCsrf(req({ "x-switchyard-csrf": `${auth.csrfToken}x` }))).toBe(false);
    expect(auth.checkCsrf(req({}))).toBe(false);
    expect(createDashboardAuth().csrfToken).not.toBe(auth.csrfToken);
  });

  it("reads one cookie among several", () => {
    expect(readCookie("a=1; switchyard_ui_1=tok; b=2", "switchyard_ui_1")).toBe("tok");
    expect(readCookie("a=1", "switchyard_ui_1")).toBeUndefined();
    expect(readCookie(undefined, "x")).toBeUndefined();
  });
});
