import { describe, expect, it } from "vitest";
import { buildEntry } from "./entry.js";
import { CaptureError } from "./errors.js";
import { createScrubber } from "./scrub.js";

const ANT = "sk-ant-api03-CANARYcanary0123456789abcdef";
const OAI = "sk-proj-CANARYcanary0123456789abcdefXYZ";
const OAUTH = "sk-ant-oat01-CANARYoauth0123456789";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlY2FuYXJ5";
const COOKIE = "CANARYcookievalue42";
const RAW = "CANARYrawsecret-without-shape";
const CORP = "CORP-424242";
const QUERY = "CANARYquerykey99";

function canaryEntry() {
  return buildEntry({
    startedAt: 0,
    method: "POST",
    url: `http://127.0.0.1:3456/v1/messages?key=${QUERY}&beta=true&note=${encodeURIComponent(OAI)}`,
    requestHeaders: {
      authorization: `Bearer ${OAUTH}`,
      "x-api-key": ANT,
      cookie: `session=${COOKIE}; theme=dark`,
      "x-custom-secret": RAW,
      "x-trace": `trace ${JWT}`,
      "content-type": "application/json",
    },
    requestBody: JSON.stringify({
      model: "m",
      api_key: RAW,
      messages: [{ role: "user", content: `my key is ${ANT} and ${CORP}` }],
      metadata: { refresh_token: "CANARYrefresh" },
    }),
    status: 200,
    responseHeaders: {
      "content-type": "text/event-stream",
      "set-cookie": [`sid=${COOKIE}; Path=/; HttpOnly`],
    },
    responseBody: [
      { offsetMs: 0, text: `data: {"access_token":"CANARYaccess","echo":"${OAI}"}\n\n` },
      { offsetMs: 3, text: `data: {"text":"Bearer ${RAW}xyz"}\n\n` },
    ],
    waitMs: 1,
    receiveMs: 3,
  });
}

describe("createScrubber", () => {
  it("removes a canary from every position: headers, cookies, query, URL, bodies, SSE", () => {
    const scrubber = createScrubber({ patterns: ["CORP-[0-9]{6}"], headers: ["x-custom-secret"] });
    const text = JSON.stringify(scrubber.scrubEntry(canaryEntry()));
    expect(text).not.toMatch(/CANARY/);
    expect(text).not.toContain(CORP);
    // The structure a reader needs survives.
    expect(text).toContain("Bearer <scrubbed:token#");
    expect(text).toContain("; theme=<scrubbed:cookie#2>");
    expect(text).toContain("Path=/; HttpOnly");
    expect(text).toContain("beta=true");
  });

  it("uses the same placeholder for the same secret everywhere, numbered by first appearance", () => {
    const scrubber = createScrubber();
    const entry = scrubber.scrubEntry(canaryEntry());
    const apiKey = entry.request.headers.find((h) => h.name === "x-api-key")?.value;
    expect(apiKey).toBe("<scrubbed:api-key#1>");
    expect(entry.request.postData?.text).toContain(`my key is ${apiKey}`);
  });

  it("gives two captures with different keys identical output", () => {
    const run = (key: string) =>
      createScrubber().scrubText(`{"x-api-key":"${key}","text":"use ${key}"}`);
    expect(run("sk-ant-api03-aaaaaaaaaaaaaaaa")).toBe(run("sk-ant-api03-bbbbbbbbbbbbbbbb"));
  });

  it("keeps SSE event ends pointing at event boundaries after scrubbing", () => {
    const entry = createScrubber().scrubEntry(canaryEntry());
    const { text = "", _sseEvents = [] } = entry.response.content;
    expect(_sseEvents.map((e) => text.slice(e.end - 2, e.end))).toEqual(["\n\n", "\n\n"]);
    expect(entry.response.content.size).toBe(new TextEncoder().encode(text).byteLength);
  });

  it("leaves ordinary text and ids alone", () => {
    const text =
      '{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","text":"the skeleton key","model":"claude-sonnet-4-5"}';
    expect(createScrubber().scrubText(text)).toBe(text);
  });

  it("refuses a pattern that matches everything", () => {
    expect(() => createScrubber({ patterns: [".*"] })).toThrow(CaptureError);
  });
});
