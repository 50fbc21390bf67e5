import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import { readJsonFile } from "./config-file.js";
import { ConfigError } from "./errors.js";

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

/** Credential file name inside the switchyard home. */
export const CREDENTIALS_FILE = "credentials.json";

/**
 * Create the credential store at `<home>/credentials.json` (mode 0600, directory 0700).
 * @example
 * const store = createCredentialStore({ home: resolveHome(process.env) });
 * await store.set("groq", key);
 */
export function createCredentialStore(options: { home: string }): CredentialStore {
  const path = join(options.home, CREDENTIALS_FILE);

  async function read(): Promise<CredentialFile> {
    const raw = await readJsonFile(path);
    return raw === undefined ? { version: 1, backends: {} } : normalize(raw, path);
  }

  async function write(file: CredentialFile): Promise<void> {
    await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, {
      mode: 0o600,
      dirMode: 0o700,
    });
  }

  return {
    path,
    async get(backend) {
      return (await read()).backends[backend]?.apiKey;
    },
    async set(backend, apiKey) {
      if (!apiKey) throw new ConfigError({ code: "invalid_value", message: "the key is empty" });
      const file = await read();
      file.backends[backend] = { apiKey };
      await write(file);
    },
    async delete(backend) {
      const file = await read();
      if (!(backend in file.backends)) return false;
      delete file.backends[backend];
      await write(file);
      return true;
    },
    async readAll() {
      const file = await read();
      return Object.fromEntries(Object.entries(file.backends).map(([k, v]) => [k, v.apiKey]));
    },
  };
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
