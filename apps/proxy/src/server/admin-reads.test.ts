import { describe, expect, it } from "vitest";
import { isQuietAdminRead } from "./admin-reads.js";

describe("isQuietAdminRead", () => {
  it("is true for answered polls of the proxy's own read endpoints and UI assets", () => {
    for (const path of [
      "/status",
      "/pool",
      "/guard",
      "/overview",
      "/events",
      "/ui/",
      "/ui/app.js",
    ]) {
      expect(isQuietAdminRead({ method: "GET", path, status: 200 })).toBe(true);
    }
    expect(isQuietAdminRead({ method: "HEAD", path: "/health", status: 200 })).toBe(true);
  });

  it("is false for API calls, actions and refused reads", () => {
    expect(isQuietAdminRead({ method: "POST", path: "/v1/messages", status: 200 })).toBe(false);
    expect(isQuietAdminRead({ method: "GET", path: "/v1/models", status: 200 })).toBe(false);
    expect(isQuietAdminRead({ method: "POST", path: "/admin/resume", status: 200 })).toBe(false);
    expect(isQuietAdminRead({ method: "GET", path: "/status", status: 401 })).toBe(false);
    expect(isQuietAdminRead({ method: "GET", path: "/uix", status: 200 })).toBe(false);
  });
});
