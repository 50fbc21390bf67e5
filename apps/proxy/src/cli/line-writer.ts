/** Buffered line output (the request log on stdout), off the hot path. */
export interface LineWriter {
  write(line: string): void;
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
  /** A buffer this large (UTF-16 code units) is written at once. Default 64 Ki. */
  maxBuffered?: number;
}

/**
 * Creates a {@link LineWriter}. Its timer does not keep the process alive: pair it with
 * `process.on("exit", () => writer.flushNow())` so no line is lost on a normal exit.
 */
export function createLineWriter(options: LineWriterOptions = {}): LineWriter {
  const { stream = process.stdout, intervalMs = 0, maxBuffered = 64 * 1024 } = options;
  let buffer: string[] = [];
  let buffered = 0;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  const take = (): string | undefined => {
    if (timer !== undefined) {
      if (intervalMs > 0) clearTimeout(timer as NodeJS.Timeout);
      else clearImmediate(timer as NodeJS.Immediate);
      timer = undefined;
    }
    if (buffer.length === 0) return undefined;
    const chunk = `${buffer.join("\n")}\n`;
    buffer = [];
    buffered = 0;
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
  return {
    write(line) {
      buffer.push(line);
      buffered += line.length + 1;
      if (buffered >= maxBuffered) {
        flushNow();
        return;
      }
      if (timer !== undefined) return;
      if (intervalMs > 0) {
        timer = setTimeout(flushNow, intervalMs);
        timer.unref();
      } else {
        timer = setImmediate(flushNow);
      }
    },
    flush: drain,
    flushNow,
  };
}
