import { constants } from "node:fs";
import { open, readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import { parseJsonText } from "./config-file.js";
import { ConfigError } from "./errors.js";
import { withFileLock } from "./file-lock.js";
import { checkHomeModes } from "./home-modes.js";

/** The on-disk shape of `<home>/credentials.json`. */
interface CredentialFile {
  version: 1;
  backends: Record<string, { apiKey: string }>;
}

/** Backend API keys kept outside `config.json`, in a 0600 file written atomically. */
export interface CredentialStore {
  /** Absolute path of the credential file. */
  readonly path: string;
  /** The stored key for `backend`, if any. */
  get(backend: string): Promise<string | undefined>;
  /** Store (or replace) the key for `backend`. */
  set(backend: string, apiKey: string): Promise<void>;
  /** Remove the key for `backend`; true when one was stored. */
  delete(backend: string): Promise<boolean>;
  /** Every stored key by backend name (for config loading; never print the values). */
  readAll(): Promise<Record<string, string>>;
}

/** Options of {@link createCredentialStore}. */
export interface CredentialStoreOptions {
  home: string;
  /** Told about loose modes of the home or the file (once per store). Default: stderr. */
  warn?: (message: string) => void;
}

/** Credential file name inside the switchyard home. */
export const CREDENTIALS_FILE = "credentials.json";

/** Temp files of `writeFileAtomic` for the credential file: `.credentials.json.<pid>.<hex>.tmp`. */
const TEMP_FILE = /^\.credentials\.json\.(\d+)\.[0-9a-f]+\.tmp$/;
/** A temp file this old is left over whoever made it (no write takes minutes). */
const STALE_TEMP_MS = 10 * 60_000;

const stderrWarn = (message: string) => process.stderr.write(`switchyard: warning: ${message}\n`);

/**
 * Create the credential store at `<home>/credentials.json` (mode 0600, directory 0700).
 * Every change is a read-modify-write under an exclusive lock, so concurrent `switchyard`
 * commands lose no entry; a symlink at the file's path is refused, never read through; temp
 * files left by a killed writer are removed; loose modes are reported and, on what is ours,
 * tightened.
 * @example
 * const store = createCredentialStore({ home: resolveHome(process.env) });
 * await store.set("groq", key);
 */
export function createCredentialStore(options: CredentialStoreOptions): CredentialStore {
  const { home, warn = stderrWarn } = options;
  const path = join(home, CREDENTIALS_FILE);
  let checked = false;

  /** Once per store: modes of the home and the file, and leftovers of killed writers. */
  async function housekeeping(): Promise<void> {
    if (checked) return;
    checked = true;
    for (const message of await checkHomeModes({ home, files: [path] })) warn(message);
    await removeStaleTemps(home);
  }

  async function read(): Promise<CredentialFile> {
    await housekeeping();
    const text = await readNoFollow(path);
    return text === undefined
      ? { version: 1, backends: {} }
      : normalize(parseJsonText(text, path), path);
  }

  async function write(file: CredentialFile): Promise<void> {
    await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, {
      mode: 0o600,
      dirMode: 0o700,
    });
  }

  /** Read, change, write, all under the file's lock. */
  const change = <T>(fn: (file: CredentialFile) => { result: T; write: boolean }): Promise<T> =>
    withFileLock(path, async () => {
      const file = await read();
      const { result, write: changed } = fn(file);
      if (changed) await write(file);
      return result;
    });

  return {
    path,
    async get(backend) {
      return (await read()).backends[backend]?.apiKey;
    },
    async set(backend, apiKey) {
      if (!apiKey) throw new ConfigError({ code: "invalid_value", message: "the key is empty" });
      await change((file) => {
        file.backends[backend] = { apiKey };
        return { result: undefined, write: true };
      });
    },
    delete(backend) {
      return change((file) => {
        if (!(backend in file.backends)) return { result: false, write: false };
        delete file.backends[backend];
        return { result: true, write: true };
      });
    },
    async readAll() {
      const file = await read();
      return Object.fromEntries(Object.entries(file.backends).map(([k, v]) => [k, v.apiKey]));
    },
  };
}

/**
 * The file's text, or undefined when it does not exist. Opened with O_NOFOLLOW: a symlink
 * planted at the path is refused rather than read through (its target's contents would
 * otherwise be copied into the store on the next write).
 */
async function readNoFollow(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") {
      throw new ConfigError({
        code: "io_error",
        message: `${path} is a symbolic link; refusing to follow it. Remove it (switchyard writes a regular file there)`,
        file: path,
      });
    }
    throw new ConfigError({
      code: "io_error",
      message: `${path}: cannot read (${code ?? "error"})`,
      file: path,
      cause: error,
    });
  }
  try {
    if (!(await handle.stat()).isFile()) {
      throw new ConfigError({
        code: "io_error",
        message: `${path} is not a regular file`,
        file: path,
      });
    }
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

/** Removes `.credentials.json.*.tmp` files whose writer is gone (they may hold keys). */
async function removeStaleTemps(home: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(home);
  } catch {
    return; // no home yet
  }
  for (const name of names) {
    const pid = TEMP_FILE.exec(name)?.[1];
    if (pid === undefined) continue;
    const file = join(home, name);
    const old = await stat(file).then(
      (s) => Date.now() - s.mtimeMs > STALE_TEMP_MS,
      () => false,
    );
    if (isAlive(Number(pid)) && !old) continue;
    await unlink(file).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function normalize(raw: unknown, path: string): CredentialFile {
  const backends: CredentialFile["backends"] = {};
  const entries =
    typeof raw === "object" && raw !== null && "backends" in raw
      ? (raw as { backends: unknown }).backends
      : undefined;
  if (typeof entries !== "object" || entries === null || Array.isArray(entries)) {
    throw new ConfigError({
      code: "invalid_config",
      message: `${path}: must look like {"version":1,"backends":{"NAME":{"apiKey":"..."}}}`,
      file: path,
    });
  }
  for (const [name, value] of Object.entries(entries)) {
    const apiKey = (value as { apiKey?: unknown } | null)?.apiKey;
    if (typeof apiKey === "string" && apiKey) backends[name] = { apiKey };
  }
  return { version: 1, backends };
}
