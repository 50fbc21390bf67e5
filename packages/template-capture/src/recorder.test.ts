import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCassette } from "./cassette.js";
import type { Exchange } from "./entry.js";
import { CaptureError } from "./errors.js";
import { nodeCassetteFs } from "./internal/node-fs.js";
import { type CassetteFs, createRecorder } from "./recorder.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "capture-rec-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exchange = (n: number, extra: Partial<Exchange> = {}): Exchange => ({
  startedAt: Date.UTC(2026, 0, 1, 0, 0, n),
  method: "POST",
  url: "http://127.0.0.1:3456/v1/messages",
  requestHeaders: {
    "user-agent": "claude-cli/2.1.7 (external, cli)",
    "x-api-key": "sk-ant-api03-CANARY000000000000",
    "content-type": "application/json",
  },
  requestBody: JSON.stringify({
    model: "claude-x",
    messages: [{ role: "user", content: `n${n}` }],
  }),
  status: 200,
  responseHeaders: { "content-type": "application/json" },
  responseBody: `{"n":${n}}`,
  waitMs: 5,
  receiveMs: 1,
  meta: { dialect: "anthropic", backend: "echo", model: "claude-x" },
  ...extra,
});

const creator = { name: "switchyard", version: "9.9.9" };

describe("createRecorder", () => {
  it("leaves a valid HAR file after every append, scrubbed, with the tool header", async () => {
    const path = join(dir, "a.har");
    const recorder = await createRecorder({ path, creator, header: { tool: "claude" } });
    expect(JSON.parse(await readFile(path, "utf8")).log.entries).toEqual([]);
    for (let n = 1; n <= 3; n++) {
      await recorder.record(exchange(n));
      const har = JSON.parse(await readFile(path, "utf8"));
      expect(har.log.entries).toHaveLength(n);
    }
    await recorder.close();
    const text = await readFile(path, "utf8");
    expect(text).not.toContain("CANARY");
    const har = parseCassette(text);
    expect(har.log.creator).toEqual(creator);
    expect(har.log.browser).toEqual({ name: "claude-cli", version: "2.1.7" });
    expect(har.log._switchyard).toEqual({
      tool: "claude",
      toolVersion: "2.1.7",
      dialect: "anthropic",
      backend: "echo",
      model: "claude-x",
    });
    expect(har.log.entries.map((e) => e.response.content.text)).toEqual([
      '{"n":1}',
      '{"n":2}',
      '{"n":3}',
    ]);
  });

  it("writes the exchanges that complete during a write together, in one write, in order", async () => {
    const path = join(dir, "busy.har");
    let writes = 0;
    const counting: CassetteFs = {
      async open(p) {
        const file = await nodeCassetteFs.open(p);
        return {
          write: (text, position) => {
            writes += 1;
            return file.write(text, position);
          },
          truncate: (length) => file.truncate(length),
          close: () => file.close(),
        };
      },
    };
    const recorder = await createRecorder({ path, creator, fs: counting });
    const opened = writes;
    // A busy proxy: 50 exchanges finish while the first one is being written.
    await Promise.all(Array.from({ length: 50 }, (_, i) => recorder.record(exchange(i + 1))));
    await recorder.close();
    expect(writes - opened).toBe(2);
    const har = parseCassette(await readFile(path, "utf8"));
    expect(har.log.entries.map((e) => e.response.content.text)).toEqual(
      Array.from({ length: 50 }, (_, i) => `{"n":${i + 1}}`),
    );
  });

  it("loses only the exchange being written when the process dies mid-append", async () => {
    const path = join(dir, "torn.har");
    const recorder = await createRecorder({ path, creator });
    await recorder.record(exchange(1));
    await recorder.record(exchange(2));
    await recorder.close();
    const text = await readFile(path, "utf8");
    // Cut the file in the middle of the second entry, as a kill -9 during the write would.
    const [head = "", first = "", second = ""] = text.split("\n");
    const cut = head.length + first.length + 2 + Math.floor(second.length / 2);
    await writeFile(path, text.slice(0, cut));
    const har = parseCassette(await readFile(path, "utf8"));
    expect(har.log.entries).toHaveLength(1);
    expect(har.log.comment).toMatch(/repaired/);
  });

  it("stops at the size limit with a clear message and keeps the file valid", async () => {
    const path = join(dir, "small.har");
    const messages: string[] = [];
    const recorder = await createRecorder({
      path,
      creator,
      maxBytes: 3000,
      onStop: (m) => messages.push(m),
    });
    for (let n = 1; n <= 10; n++) await recorder.record(exchange(n));
    await recorder.close();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/capture stopped after \d+ exchanges: .*3000-byte limit/);
    const text = await readFile(path, "utf8");
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(3000);
    const har = JSON.parse(text);
    expect(har.log.entries.length).toBe(recorder.entries);
    expect(recorder.entries).toBeGreaterThan(0);
    expect(har.log.comment).toMatch(/capture stopped/);
    expect(har.log._switchyard.stopped).toMatch(/capture stopped/);
  });

  it("refuses to record after close", async () => {
    const recorder = await createRecorder({ path: join(dir, "c.har"), creator });
    await recorder.close();
    await expect(recorder.record(exchange(1))).rejects.toSatisfy(
      (e) => CaptureError.isInstance(e) && e.code === "recorder_closed",
    );
  });
});

describe("createRecorder header", () => {
  it("takes tool and route from the first API call, not from a probe before it", async () => {
    const path = join(dir, "probe.har");
    const recorder = await createRecorder({ path, creator });
    await recorder.record({
      ...exchange(0, { method: "HEAD", url: "http://127.0.0.1:3456/api/hello", status: 404 }),
      requestHeaders: { "user-agent": "Bun/1.4.4" },
      requestBody: undefined,
      meta: { dialect: "openai" },
    } as Exchange);
    await recorder.record(exchange(1));
    await recorder.close();
    const har = parseCassette(await readFile(path, "utf8"));
    expect(har.log.browser).toEqual({ name: "claude-cli", version: "2.1.7" });
    expect(har.log._switchyard).toMatchObject({
      tool: "claude-cli",
      dialect: "anthropic",
      backend: "echo",
    });
  });
  it("keeps the last written entries by request id, scrubbed as in the file", async () => {
    const path = join(dir, "by-id.har");
    const recorder = await createRecorder({ path, creator, keepRecent: 2 });
    const withId = (n: number) =>
      exchange(n, { meta: { dialect: "anthropic", backend: "echo", requestId: `req-${n}` } });
    await recorder.record(withId(1));
    const one = recorder.entry("req-1");
    expect(one?._switchyard?.requestId).toBe("req-1");
    expect(one?.request.postData?.text).toContain("n1");
    expect(JSON.stringify(one)).not.toContain("CANARY");
    const onDisk = JSON.parse(await readFile(path, "utf8")).log.entries[0];
    expect(one).toEqual(onDisk);
    await Promise.all([recorder.record(withId(2)), recorder.record(withId(3))]);
    expect(recorder.entry("req-1")).toBeUndefined(); // only the last two are kept
    expect(recorder.entry("req-3")?.response.content.text).toBe('{"n":3}');
    expect(recorder.entry("nope")).toBeUndefined();
    await recorder.close();
  });
});
