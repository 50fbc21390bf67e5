import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLineWriter } from "./line-writer.js";

/** A stream that records each write it gets. */
function recorder() {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  return { stream, writes };
}

describe("createLineWriter", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("with an interval, writes a burst of lines in one write no later than the interval", () => {
    const { stream, writes } = recorder();
    const log = createLineWriter({ stream, intervalMs: 100 });
    for (let i = 0; i < 50; i++) log.write(`line ${i}`);
    vi.advanceTimersByTime(99);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBe(`${Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n")}\n`);
    // The next line starts a new window.
    log.write("late");
    vi.advanceTimersByTime(100);
    expect(writes).toEqual([writes[0], "late\n"]);
  });

  it("without an interval, writes once per event-loop turn", () => {
    const { stream, writes } = recorder();
    const log = createLineWriter({ stream });
    log.write("a");
    log.write("b");
    expect(writes).toEqual([]);
    vi.runAllTicks();
    vi.advanceTimersToNextTimer();
    expect(writes).toEqual(["a\nb\n"]);
  });

  it("writes a full buffer at once, and flushNow writes what is left without waiting", () => {
    const { stream, writes } = recorder();
    const log = createLineWriter({ stream, intervalMs: 100, maxBuffered: 20 });
    log.write("0123456789");
    log.write("0123456789");
    expect(writes).toEqual(["0123456789\n0123456789\n"]);
    log.write("tail");
    log.flushNow();
    expect(writes.at(-1)).toBe("tail\n");
    // Nothing is written twice when the timer would have fired.
    vi.advanceTimersByTime(1000);
    expect(writes).toHaveLength(2);
  });

  it("writes non-ASCII, long and lone-surrogate lines byte for byte, in order", () => {
    const { stream, writes } = recorder();
    const log = createLineWriter({ stream, intervalMs: 100, maxBuffered: 64 });
    const lines = ["é🙂 ü", "\ud800 lone", "z".repeat(20_000), "after", "ü".repeat(40)];
    for (const line of lines) log.write(line);
    log.flushNow();
    expect(writes.join("")).toBe(Buffer.from(lines.map((l) => `${l}\n`).join("")).toString());
    expect(writes.length).toBeGreaterThan(1);
  });

  it("writes lines given as UTF-8 bytes as write does for the text, copying them unencoded", () => {
    const { stream, writes } = recorder();
    const log = createLineWriter({ stream, intervalMs: 100, maxBuffered: 64 });
    const lines = ["é🙂 ü", "plain", "z".repeat(100), "ü".repeat(40), "after"];
    const encode = vi.spyOn(Buffer.prototype, "write");
    try {
      for (const [i, line] of lines.entries()) {
        if (i % 2 === 0) log.writeBytes(new Uint8Array(Buffer.from(line)));
        else log.write(line);
      }
      // Only the lines given as text were encoded.
      expect(encode).toHaveBeenCalledTimes(2);
    } finally {
      encode.mockRestore();
    }
    log.flushNow();
    expect(writes.join("")).toBe(lines.map((l) => `${l}\n`).join(""));
    // The bytes were copied: changing them after does not change what was written.
    const bytes = new Uint8Array(Buffer.from("copy"));
    log.writeBytes(bytes);
    bytes.fill(0x21);
    log.flushNow();
    expect(writes.at(-1)).toBe("copy\n");
  });

  it("flush resolves once the stream took the buffered lines", async () => {
    const { stream, writes } = recorder();
    const log = createLineWriter({ stream, intervalMs: 100 });
    log.write("x");
    await log.flush();
    expect(writes).toEqual(["x\n"]);
    await log.flush(); // nothing buffered: resolves at once
    expect(writes).toHaveLength(1);
  });
});
