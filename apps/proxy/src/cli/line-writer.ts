/** Buffered line output (the request log on stdout), off the hot path. */
export interface LineWriter {
  write(line: string): void;
  /**
   * Writes a line given as its UTF-8 bytes (without the newline): they are copied, not encoded
   * again (the request log's ring already encoded the line). The caller may reuse them after.
   */
  writeBytes(bytes: Uint8Array): void;
  /** Write whatever is buffered and wait until the stream took it. */
  flush(): Promise<void>;
  /**
   * Hand whatever is buffered to the stream now, without waiting (for `process.on("exit")`:
   * stdout to a file, a pipe or a terminal is written synchronously on Linux and macOS).
   */
  flushNow(): void;
}

/** Options for {@link createLineWriter}. */
export interface LineWriterOptions {
  /** Default stdout. */
  stream?: NodeJS.WritableStream;
  /**
   * How long a line may wait for company: 0 writes once per event-loop turn (a terminal,
   * where someone watches); more writes everything buffered at most this many ms later, one
   * write for all of it (a file or pipe under load: one syscall instead of one per request).
   */
  intervalMs?: number;
  /** A buffer this large (UTF-8 bytes) is written at once. Default 64 KiB. */
  maxBuffered?: number;
}

/**
 * Creates a {@link LineWriter}. Its timer does not keep the process alive: pair it with
 * `process.on("exit", () => writer.flushNow())` so no line is lost on a normal exit.
 *
 * A line is copied into a byte buffer as it is written, not kept as a string until the
 * write: under load a string waiting up to `intervalMs` survives V8's young-generation
 * collections, and the bytes that survive them are what makes V8 grow its young generation.
 */
export function createLineWriter(options: LineWriterOptions = {}): LineWriter {
  const { stream = process.stdout, intervalMs = 0, maxBuffered = 64 * 1024 } = options;
  // Room for a few more lines after a buffer just short of full; a longer line flushes first.
  const capacity = maxBuffered + 16 * 1024;
  let buffer: Buffer | undefined;
  let used = 0;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  /** What is buffered, handed over: the stream may hold it, so the next line gets a new one. */
  const take = (): Buffer | undefined => {
    if (timer !== undefined) {
      if (intervalMs > 0) clearTimeout(timer as NodeJS.Timeout);
      else clearImmediate(timer as NodeJS.Immediate);
      timer = undefined;
    }
    if (buffer === undefined || used === 0) return undefined;
    const chunk = buffer.subarray(0, used);
    buffer = undefined;
    used = 0;
    return chunk;
  };
  const drain = (): Promise<void> => {
    const chunk = take();
    if (chunk === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      stream.write(chunk, () => resolve());
    });
  };
  const flushNow = () => {
    const chunk = take();
    if (chunk !== undefined) stream.write(chunk);
  };
  /** Copies `line` and a newline into the buffer; false when they do not fit. */
  const append = (line: string): boolean => {
    buffer ??= Buffer.allocUnsafe(capacity);
    const room = capacity - used - 1;
    // `write` writes whole characters only: with 4 bytes or more to spare, it wrote them all.
    const written = buffer.write(line, used, room, "utf8");
    if (written > room - 4 && Buffer.byteLength(line) > written) return false;
    used += written;
    buffer[used++] = 0x0a;
    return true;
  };
  /** Copies `bytes` and a newline into the buffer; false when they do not fit. */
  const appendBytes = (bytes: Uint8Array): boolean => {
    buffer ??= Buffer.allocUnsafe(capacity);
    if (bytes.length > capacity - used - 1) return false;
    buffer.set(bytes, used);
    used += bytes.length;
    buffer[used++] = 0x0a;
    return true;
  };
  /** After a line went into the buffer: write a full buffer now, else arm the timer. */
  const schedule = () => {
    if (used >= maxBuffered) {
      flushNow();
      return;
    }
    if (timer !== undefined || used === 0) return;
    if (intervalMs > 0) {
      timer = setTimeout(flushNow, intervalMs);
      timer.unref();
    } else {
      timer = setImmediate(flushNow);
    }
  };
  return {
    write(line) {
      if (!append(line)) {
        flushNow();
        // Longer than a whole buffer: its own write, after what came before it.
        if (!append(line)) stream.write(`${line}\n`);
      }
      schedule();
    },
    writeBytes(bytes) {
      if (!appendBytes(bytes)) {
        flushNow();
        if (!appendBytes(bytes)) {
          const copy = Buffer.allocUnsafe(bytes.length + 1);
          copy.set(bytes, 0);
          copy[bytes.length] = 0x0a;
          stream.write(copy);
        }
      }
      schedule();
    },
    flush: drain,
    flushNow,
  };
}
