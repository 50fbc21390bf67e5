import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRecorder, createScrubber, parseCassette } from "@switchyard/template-capture";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testConfig } from "./helpers/config.js";
import { withServer } from "./helpers/with-server.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sy-capture-route-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const KEY = "sk-proxy-key-CANARY-0123456789abcdef";

describe("GET /capture?id=", () => {
  it("answers capturing:false without --capture, and 400 without an id", async () => {
    await withServer(testConfig({ home: dir }), async (url) => {
      const off = await fetch(`${url}/capture?id=abc`);
      expect(off.status).toBe(200);
      expect(await off.json()).toMatchObject({ capturing: false, entry: null });
      const bad = await fetch(`${url}/capture`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { param: string } }).error.param).toBe("id");
    });
  });

  it("returns the scrubbed HAR entry of a request by its request-log id, behind the key", async () => {
    const path = join(dir, "cap.har");
    const recorder = await createRecorder({
      path,
      creator: { name: "switchyard", version: "0.0.0-test" },
      scrubber: createScrubber({ secrets: [KEY] }),
    });
    const auth = { "x-api-key": KEY };
    await withServer(
      testConfig({ home: dir, apiKey: KEY, defaultBackend: "echo" }),
      async (url) => {
        const chat = await fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({
            model: "m-captured",
            messages: [{ role: "user", content: "hi" }],
          }),
        });
        expect(chat.status).toBe(200);
        await chat.text();
        const log = (await (await fetch(`${url}/requests`, { headers: auth })).json()) as {
          requests: Array<{ id: string; path: string }>;
        };
        const id = log.requests.find((r) => r.path === "/v1/chat/completions")?.id ?? "";
        expect(id).not.toBe("");
        expect((await fetch(`${url}/capture?id=${id}`)).status).toBe(401);
        let body: { capturing: boolean; entry: Record<string, unknown> | null } | undefined;
        for (let i = 0; i < 50 && !body?.entry; i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, 50));
          body = (await (await fetch(`${url}/capture?id=${id}`, { headers: auth })).json()) as {
            capturing: boolean;
            entry: Record<string, unknown> | null;
          };
        }
        expect(body?.capturing).toBe(true);
        const text = JSON.stringify(body?.entry);
        expect(text).toContain("m-captured");
        expect(text).toContain(`"requestId":"${id}"`);
        expect(text).not.toContain("CANARY");
        const other = (await (await fetch(`${url}/capture?id=nope`, { headers: auth })).json()) as {
          entry: unknown;
          reason: string;
        };
        expect(other.entry).toBeNull();
        expect(other.reason).toMatch(/no capture entry/);
      },
      recorder,
    );
    await recorder.close();
    const har = parseCassette(await readFile(path, "utf8"));
    // Only the API call is in the file: the admin reads (/requests, /capture) never are.
    expect(har.log.entries.map((e) => new URL(e.request.url).pathname)).toEqual([
      "/v1/chat/completions",
    ]);
  });
});
