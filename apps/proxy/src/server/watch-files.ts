import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

/** Options of {@link watchFiles}. */
export interface WatchFilesOptions {
  /** Absolute paths of the files to watch (they need not exist yet; their directories must). */
  files: readonly string[];
  /** Called once a burst of changes has been quiet for `debounceMs`. */
  onChange: () => void;
  /** Default 200 ms: editors write a file in several steps (temp file, rename, chmod). */
  debounceMs?: number;
  /** Told (once per directory) when a directory cannot be watched. */
  onError?: (message: string) => void;
}

/** A running watch. */
export interface FileWatch {
  close(): void;
}

/** How long to wait before watching a directory again after its watcher failed. */
const REWATCH_MS = 1000;

/**
 * Watches files through their directories (`fs.watch` on the directory), so a file that an
 * editor or an atomic write replaces by rename keeps being watched, and one that does not
 * exist yet is seen when it appears. Bursts are debounced into one `onChange`. Nothing here
 * keeps the process alive, and nothing runs per request.
 */
export function watchFiles(options: WatchFilesOptions): FileWatch {
  const { onChange, debounceMs = 200, onError } = options;
  const byDir = new Map<string, Set<string>>();
  for (const file of options.files) {
    const dir = dirname(file);
    const names = byDir.get(dir) ?? new Set<string>();
    names.add(basename(file));
    byDir.set(dir, names);
  }
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const watchers = new Set<FSWatcher>();
  const retries = new Set<NodeJS.Timeout>();
  const reported = new Set<string>();

  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
    timer.unref();
  };

  const start = (dir: string, names: ReadonlySet<string>) => {
    if (closed) return;
    let watcher: FSWatcher;
    const retry = (why: string) => {
      if (!reported.has(dir)) {
        reported.add(dir);
        onError?.(
          `cannot watch ${dir} for config changes (${why}); retrying every ${REWATCH_MS} ms`,
        );
      }
      const again = setTimeout(() => {
        retries.delete(again);
        start(dir, names);
      }, REWATCH_MS);
      again.unref();
      retries.add(again);
    };
    try {
      watcher = watch(dir, { persistent: false }, (_event, filename) => {
        // Some platforms give no name: any change in the directory may be ours.
        if (filename === null || names.has(basename(String(filename)))) schedule();
      });
    } catch (error) {
      retry((error as NodeJS.ErrnoException).code ?? "error");
      return;
    }
    watchers.add(watcher);
    watcher.on("error", (error: NodeJS.ErrnoException) => {
      watcher.close();
      watchers.delete(watcher);
      retry(error.code ?? "error");
      // The file may have changed while nobody watched.
      schedule();
    });
  };

  for (const [dir, names] of byDir) start(dir, names);
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const retry of retries) clearTimeout(retry);
      for (const watcher of watchers) watcher.close();
      watchers.clear();
    },
  };
}
