import { useCallback, useEffect, useRef, useState } from "preact/hooks";

/** Data from a poll: the last good value, the last error, and a way to poll now. */
export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
  refresh: () => void;
}

/** Calls `load` now and every `intervalMs` while mounted (and while the tab is visible). */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number, deps: unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;
  const refresh = useCallback(() => {
    loadRef.current().then(
      (value) => {
        setData(value);
        setError(undefined);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, refresh, ...deps]);
  return { data, error, refresh } satisfies Polled<T>;
}

/** The current time, re-read every `ms` (for countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
