import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Options for {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** File mode of the written file. Default 0o600. */
  mode?: number;
  /** Keep the mode of an existing file instead of `mode`. Default false. */
  keepMode?: boolean;
  /** Mode for a directory this call creates. Default 0o700. */
  dirMode?: number;
}

/**
 * Write `data` to `path` so readers see the old file or the new one, never half of either:
 * temp file in the same directory, fsync, rename over the target.
 */
export async function writeFileAtomic(
  path: string,
  data: string,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const { dirMode = 0o700, keepMode = false } = options;
  let mode = options.mode ?? 0o600;
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: dirMode });
  if (keepMode) {
    try {
      mode = (await stat(path)).mode & 0o777;
    } catch {
      // No existing file: use `mode`.
    }
  }
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", mode);
  try {
    await handle.writeFile(data, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    // `open` honours the umask; set the exact mode before the file becomes visible.
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  // Persist the rename itself; not supported everywhere (e.g. Windows), so best effort.
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Ignore: the data is already fsynced.
  }
}
