import { chmod, lstat } from "node:fs/promises";

/** Options of {@link checkHomeModes}. */
export interface HomeModesOptions {
  /** The switchyard home (should be 0700). */
  home: string;
  /** Files in it that hold secrets (should be 0600). */
  files: string[];
  /** The user we run as; default `process.getuid()` (undefined on Windows: nothing checked). */
  uid?: number;
}

/**
 * Checks that the home and its secret files are private: group or others may not read them.
 * What is ours (owned by this user) is tightened (home 0700, files 0600) and reported; what is
 * not ours is only reported. Returns the messages, one per finding; missing paths are fine.
 */
export async function checkHomeModes(options: HomeModesOptions): Promise<string[]> {
  const uid = options.uid ?? process.getuid?.();
  if (uid === undefined) return [];
  const messages: string[] = [];
  const targets: [string, number, string][] = [
    [options.home, 0o700, "directory"],
    ...options.files.map((f): [string, number, string] => [f, 0o600, "file"]),
  ];
  for (const [path, wanted, what] of targets) {
    const info = await lstat(path).catch(() => undefined);
    // Symlinks are judged where they are used (the credential file refuses them).
    if (info === undefined || info.isSymbolicLink()) continue;
    const mode = info.mode & 0o777;
    if ((mode & 0o077) === 0) continue;
    const octal = mode.toString(8).padStart(4, "0");
    if (info.uid !== uid) {
      messages.push(
        `${what} ${path} has mode ${octal} and belongs to another user: others may read your keys; make it ${wanted.toString(8).padStart(4, "0")}`,
      );
      continue;
    }
    try {
      await chmod(path, wanted);
      messages.push(
        `${what} ${path} had mode ${octal} (readable by others); changed it to ${wanted.toString(8).padStart(4, "0")}`,
      );
    } catch {
      messages.push(
        `${what} ${path} has mode ${octal} (readable by others) and could not be changed; make it ${wanted.toString(8).padStart(4, "0")}`,
      );
    }
  }
  return messages;
}
