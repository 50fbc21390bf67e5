import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { OAuthError } from "./oauth-error.js";
import { isTokenSet, type TokenSet } from "./token-set.js";
import type { TokenStore } from "./token-store.js";

/** Options of {@link createFileTokenStore}. */
export interface FileTokenStoreOptions {
  /** The JSON file holding every token set (created 0600, its directory 0700). */
  path: string;
  /** How long to wait for another process's lock before failing. Default 10000. */
  lockTimeoutMs?: number;
  /** A lock older than this is taken as left behind by a crashed process. Default 30000. */
  staleLockMs?: number;
}

interface TokenFile {
  version: 1;
  tokens: Record<string, TokenSet>;
}

const storeError = (message: string, cause?: unknown) =>
  new OAuthError({ code: "store_error", message, cause });

/**
 * A token store in one JSON file: mode 0600, written atomically (temp file + fsync + rename),
 * every read-modify-write under a lock file shared with other processes, and it refuses a
 * symlink at the file or lock path (another user could point it elsewhere).
 * @example
 * const store = createFileTokenStore({ path: join(home, "oauth-tokens.json") });
 */
export function createFileTokenStore(options: FileTokenStoreOptions): TokenStore {
  const { path, lockTimeoutMs = 10_000, staleLockMs = 30_000 } = options;
  const lockPath = `${path}.lock`;
  // In-process queue: the lock file orders processes, this orders calls in one process.
  let queue: Promise<unknown> = Promise.resolve();

  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      await acquire(lockPath, lockTimeoutMs, staleLockMs);
      try {
        return await fn();
      } finally {
        await unlink(lockPath).catch(() => {});
      }
    });
    queue = run.catch(() => {});
    return run;
  };

  const read = async (): Promise<TokenFile> => {
    await refuseSymlink(path);
    let text: string;
    try {
      const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        text = await handle.readFile("utf8");
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, tokens: {} };
      throw storeError(`cannot read the token file ${path}`, error);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw storeError(`the token file ${path} is not valid JSON`, error);
    }
    const tokens: Record<string, TokenSet> = {};
    const entries = (raw as { tokens?: unknown } | null)?.tokens;
    if (typeof entries === "object" && entries !== null) {
      for (const [key, value] of Object.entries(entries)) {
        if (isTokenSet(value)) tokens[key] = value;
      }
    }
    return { version: 1, tokens };
  };

  const write = async (file: TokenFile): Promise<void> => {
    await refuseSymlink(path);
    await writeAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
  };

  return {
    async get(key) {
      return (await read()).tokens[key];
    },
    set(key, tokens) {
      return exclusive(async () => {
        const file = await read();
        file.tokens[key] = tokens;
        await write(file);
      });
    },
    delete(key) {
      return exclusive(async () => {
        const file = await read();
        if (!(key in file.tokens)) return false;
        delete file.tokens[key];
        await write(file);
        return true;
      });
    },
    async keys() {
      return Object.keys((await read()).tokens);
    },
  };
}

async function refuseSymlink(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSymbolicLink()) {
      throw storeError(`refusing to use ${path}: it is a symlink`);
    }
  } catch (error) {
    if (OAuthError.isInstance(error)) throw error;
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw storeError(`cannot inspect ${path}`, error);
    }
  }
}

async function acquire(lockPath: string, timeoutMs: number, staleMs: number): Promise<void> {
  await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + timeoutMs;
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    try {
      // O_EXCL never follows a symlink: a planted link at the lock path makes this fail.
      const handle = await open(lockPath, "wx", 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw storeError(`cannot create the lock ${lockPath}`, error);
      }
    }
    const info = await lstat(lockPath).catch(() => undefined);
    if (info?.isSymbolicLink()) throw storeError(`refusing to use ${lockPath}: it is a symlink`);
    if (info !== undefined && Date.now() - info.mtimeMs > staleMs) {
      await unlink(lockPath).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) {
      throw storeError(`the token file is locked by another process (${lockPath})`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

async function writeAtomic(path: string, data: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.chmod(0o600); // the umask may have narrowed or widened `open`'s mode
      await handle.writeFile(data, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw storeError(`cannot write the token file ${path}`, error);
  }
  // Make sure the result is what we meant (e.g. nobody swapped in a link meanwhile).
  const mode = (await stat(path)).mode & 0o777;
  if (mode !== 0o600) throw storeError(`the token file ${path} has mode ${mode.toString(8)}`);
}
