import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { lock } from "proper-lockfile";
import { ConfigError } from "./errors.js";

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /**
   * A lock not refreshed for this long belongs to a process that died (kill -9) and is taken
   * over. Default 10000 (proper-lockfile's minimum is 5000).
   */
  staleMs?: number;
  /** Give up waiting for another holder after about this long. Default 30000. */
  waitMs?: number;
}

/**
 * Runs `fn` while holding an exclusive inter-process lock on `path` (a `<path>.lock`
 * directory, via proper-lockfile; the file itself need not exist). Used for every
 * read-modify-write of a file several `switchyard` processes may change at once
 * (`credentials.json`, `config.json`), so none of their changes is lost.
 */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const { staleMs = 10_000, waitMs = 30_000 } = options;
  let release: () => Promise<void>;
  try {
    // The lock lives beside the file: its directory may not exist before the first write.
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    release = await lock(path, {
      realpath: false,
      stale: staleMs,
      // Short, jittered waits: holders keep it for milliseconds (a read, a write, an fsync).
      retries: {
        retries: Math.ceil(waitMs / 25),
        factor: 1,
        minTimeout: 25,
        maxTimeout: 50,
        randomize: true,
      },
    });
  } catch (error) {
    throw new ConfigError({
      code: "io_error",
      message: `${path}: another switchyard process holds its lock (${path}.lock); try again, or remove that directory if no switchyard command is running`,
      file: path,
      cause: error,
    });
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}
