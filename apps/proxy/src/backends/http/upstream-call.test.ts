import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dispatcher } from "undici";
import { Pool } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import {
  BODY_TOO_LARGE,
  HIGH_WATER_BYTES,
  MAX_WHOLE_BODY_BYTES,
  UpstreamCall,
} from "./upstream-call.js";

let server: Server | undefined;
let pool: Pool | undefined;
afterEach(async () => {
  await pool?.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  pool = undefined;
});

/** A local upstream whose handler writes the answer; resolves its origin. */
async function upstream(handle: (res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => handle(res));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Dispatches one GET; resolves at the head. */
function call(origin: string): { head: Promise<UpstreamCall>; settled: Promise<UpstreamCall> } {
  pool ??= new Pool(origin);
  let settle!: (c: UpstreamCall) => void;
  const settled = new Promise<UpstreamCall>((resolve) => {
    settle = resolve;
  });
  const head = new Promise<UpstreamCall>((resolve, reject) => {
    const c = new UpstreamCall(resolve, reject, settle);
    pool?.dispatch({ path: "/", method: "GET", headers: {} }, c);
  });
  return { head, settled };
}

describe("UpstreamCall", () => {
  it("resolves at the head with status and lower-case headers, then reads the whole body", async () => {
    const origin = await upstream((res) => {
      res.writeHead(201, { "X-Thing": "a", "content-type": "application/json" });
      res.write('{"a":');
      setTimeout(() => res.end("1}"), 20);
    });
    const { head, settled } = call(origin);
    const response = await head;
    expect(response.status).toBe(201);
    expect(response.headers["x-thing"]).toBe("a");
    expect(await response.text()).toBe('{"a":1}');
    expect((await settled).ended).toBe(true);
  });

  it("fails a whole-body read that passes its bound, and stops reading", async () => {
    const piece = Buffer.alloc(1024 * 1024, 0x61);
    let written = 0;
    const origin = await upstream((res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const more = () => {
        // Bounded: a little past the limit, whether or not the proxy hangs up first.
        while (written <= MAX_WHOLE_BODY_BYTES + 8 * piece.length && !res.destroyed) {
          written += piece.length;
          if (!res.write(piece)) return void res.once("drain", more);
        }
        res.end();
      };
      more();
    });
    const { head } = call(origin);
    const response = await head;
    await expect(response.bytes()).rejects.toMatchObject({ code: BODY_TOO_LARGE });
  });

  it("hands out chunks in order when iterated, pausing the socket past the high-water mark", async () => {
    // 2 KiB parts: a slow reader lets more than the 64 KiB mark pile up.
    const parts = Array.from({ length: 200 }, (_, i) => `part-${i};${"x".repeat(2048)}`);
    const origin = await upstream((res) => {
      res.writeHead(200);
      let i = 0;
      const next = () => {
        if (i === parts.length) return res.end();
        res.write(parts[i++], next);
      };
      next();
    });
    const response = await call(origin).head;
    let text = "";
    for await (const chunk of response) {
      text += chunk.toString();
      // A slow reader: chunks pile up and undici is asked to pause.
      await new Promise((r) => setImmediate(r));
    }
    expect(text).toBe(parts.join(""));
  });

  it("hands what arrived between two reads out as one chunk (one write per socket read, not per event)", async () => {
    const events = Array.from({ length: 200 }, (_, i) => `data: {"n":${i}}\n\n`);
    const origin = await upstream((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      // One HTTP chunk per event, all in one burst: many per socket read.
      for (const event of events) res.write(event);
      res.end();
    });
    const response = await call(origin).head;
    await new Promise((r) => setTimeout(r, 50)); // let the burst arrive before reading
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe(events.join(""));
    expect(chunks.length).toBeLessThan(events.length / 4);
  });

  it("pauses a read stream by queued bytes, not by chunk count: a burst of small events needs no pause", async () => {
    // A fake controller counts what undici would be asked to do.
    let pauses = 0;
    let resumes = 0;
    const controller = {
      pause: () => {
        pauses += 1;
      },
      resume: () => {
        resumes += 1;
      },
      abort: () => {},
    } as unknown as Dispatcher.DispatchController;
    const c = new UpstreamCall(
      () => {},
      () => {},
      () => {},
    );
    c.onRequestStart(controller);
    c.onResponseStart(controller, 200, {});
    const reader = c[Symbol.asyncIterator]();
    // 200 events of ~130 bytes (a 200-delta stream) arrive before the reader reads.
    const event = Buffer.from(
      `data: {"choices":[{"delta":{"content":"word "}}]}${" ".repeat(80)}\n\n`,
    );
    for (let i = 0; i < 200; i++) c.onResponseData(controller, event);
    expect(pauses).toBe(0);
    const first = await reader.next();
    expect(first.value?.length).toBe(200 * event.length);
    // Past the mark the socket is paused once, and resumed once when the reader catches up.
    const big = Buffer.alloc(HIGH_WATER_BYTES / 4, 0x61);
    for (let i = 0; i < 8; i++) c.onResponseData(controller, big);
    expect(pauses).toBe(1);
    expect((await reader.next()).value?.length).toBe(8 * big.length);
    expect(resumes).toBe(1);
    c.onResponseEnd();
    expect((await reader.next()).done).toBe(true);
  });

  it("rejects the head when the connection fails", async () => {
    const origin = await upstream((res) => res.socket?.destroy());
    await expect(call(origin).head).rejects.toMatchObject({ code: "UND_ERR_SOCKET" });
  });

  it("surfaces a mid-body failure to the reader after the chunks that arrived", async () => {
    const origin = await upstream((res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const response = await call(origin).head;
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of response) seen.push(chunk.toString());
      })(),
    ).rejects.toBeInstanceOf(Error);
    expect(seen.join("")).toBe("partial");
  });

  it("abort() before the head rejects it with the given reason", async () => {
    const origin = await upstream(() => {
      // never answers
    });
    pool = new Pool(origin);
    let theCall: UpstreamCall | undefined;
    const aborted = new Promise<UpstreamCall>((resolve, reject) => {
      theCall = new UpstreamCall(resolve, reject, () => {});
      pool?.dispatch({ path: "/", method: "GET", headers: {} }, theCall);
    });
    const reason = new Error("client went away");
    theCall?.abort(reason);
    await expect(aborted).rejects.toBe(reason);
  });

  it("dump() drops the rest and keeps the connection reusable; destroy() closes it", async () => {
    let connections = 0;
    const origin = await upstream((res) => {
      res.writeHead(200, { "content-length": "10000" });
      res.end("x".repeat(10000));
    });
    server?.on("connection", () => {
      connections += 1;
    });
    const first = await call(origin).head;
    await first.dump();
    // undici returns the socket to the pool just after the body's end.
    await new Promise((r) => setImmediate(r));
    const second = await call(origin).head;
    expect((await second.bytes()).length).toBe(10000);
    expect(connections).toBe(1);
    const third = call(origin);
    (await third.head).destroy();
    const settled = await third.settled;
    expect(settled.ended || settled.error !== undefined).toBe(true);
  });

  it("dump() of a large rest closes the connection instead of draining it", async () => {
    let connections = 0;
    const origin = await upstream((res) => {
      res.writeHead(200, { "content-length": String(4_000_000) });
      res.end("y".repeat(4_000_000));
    });
    server?.on("connection", () => {
      connections += 1;
    });
    const first = call(origin);
    await (await first.head).dump();
    expect((await first.settled).error).toBeInstanceOf(Error);
    await new Promise((r) => setImmediate(r));
    // The dropped socket is not reused: the next request needs a new connection.
    await (await call(origin).head).dump();
    expect(connections).toBeGreaterThanOrEqual(2);
  });

  it("pauses a body nobody reads yet, then delivers all of it when read whole", async () => {
    // 25 MB in 64 KiB parts: more than the kernel's socket buffers can absorb.
    const parts = Array.from({ length: 400 }, (_, i) => String(i % 10).repeat(65_536));
    let written = 0;
    const origin = await upstream((res) => {
      res.writeHead(200);
      let i = 0;
      const next = () => {
        if (i === parts.length) return res.end();
        written = i + 1;
        res.write(parts[i++], () => setImmediate(next));
      };
      next();
    });
    const response = await call(origin).head;
    // Unread for a while: the socket is paused, so the upstream cannot finish writing.
    await new Promise((r) => setTimeout(r, 200));
    expect(written).toBeLessThan(parts.length);
    const text = await response.text();
    expect(text.length).toBe(400 * 65_536);
    expect(text === parts.join("")).toBe(true);
  });
});
