/** Buffered line output: lines written in one batch per event-loop turn, off the hot path. */
export interface LineWriter {
  write(line: string): void;
  /** Write whatever is buffered and wait until the stream took it. */
  flush(): Promise<void>;
}

/** Create a {@link LineWriter} over `stream` (default stdout). */
export function createLineWriter(stream: NodeJS.WritableStream = process.stdout): LineWriter {
  let buffer: string[] = [];
  let scheduled = false;
  const drain = (): Promise<void> => {
    scheduled = false;
    if (buffer.length === 0) return Promise.resolve();
    const chunk = `${buffer.join("\n")}\n`;
    buffer = [];
    return new Promise((resolve) => {
      stream.write(chunk, () => resolve());
    });
  };
  return {
    write(line) {
      buffer.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void drain());
      }
    },
    flush: drain,
  };
}
