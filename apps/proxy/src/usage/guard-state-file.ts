import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { GuardState, GuardStateStore } from "@switchyard/overage-guard";
import { writeFileAtomic } from "../config/atomic-write.js";

/** File name of the persisted overage-guard state in the switchyard home. */
export const GUARD_STATE_FILE = "guard-state.json";

/** Options of {@link createFileGuardStateStore}. */
export interface FileGuardStateStoreOptions {
  /** Path of the state file (e.g. `<home>/guard-state.json`). */
  path: string;
  readText?: (path: string) => Promise<string>;
  writeText?: (path: string, text: string) => Promise<void>;
  logger?: { warn(message: string, meta?: unknown): void };
}

/** `<home>/guard-state.json`. */
export function guardStatePath(home: string): string {
  return join(home, GUARD_STATE_FILE);
}

/**
 * A {@link GuardStateStore} in one JSON file, written atomically (temp file + fsync + rename),
 * so a halt survives a proxy restart and a crash never leaves half a file. A missing file loads
 * as no state; an unreadable one is logged and ignored (the guard starts clean).
 */
export function createFileGuardStateStore(options: FileGuardStateStoreOptions): GuardStateStore {
  const {
    path,
    readText = (p) => readFile(p, "utf8"),
    writeText = (p, text) => writeFileAtomic(p, text, { mode: 0o600 }),
    logger = console,
  } = options;
  return {
    async load() {
      let text: string;
      try {
        text = await readText(path);
      } catch (error) {
        if ((error as { code?: unknown }).code === "ENOENT") return undefined;
        throw error;
      }
      try {
        const value = JSON.parse(text) as GuardState;
        if (value?.version === 1 && Array.isArray(value.halts)) return value;
      } catch {
        // Fall through: report and start clean.
      }
      logger.warn(`overage guard: ignoring unreadable state file ${path}`);
      return undefined;
    },
    async save(state) {
      await writeText(path, `${JSON.stringify(state, null, 2)}\n`);
    },
  };
}
