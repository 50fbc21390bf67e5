/** A listener for one event. */
export type Listener<P> = (payload: P) => void;

/** A tiny typed event emitter. Listener errors are swallowed so they never fail a request. */
export interface Emitter<E> {
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void;
  /** Removes a listener. */
  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void;
  /** Calls every listener of `event` with `payload`. */
  emit<K extends keyof E>(event: K, payload: E[K]): void;
  /** True when `event` has listeners, so callers can skip building payloads. */
  has(event: keyof E): boolean;
}

/** Creates a typed emitter. */
export function createEmitter<E>(): Emitter<E> {
  const listeners = new Map<keyof E, Array<Listener<never>>>();
  const emitter: Emitter<E> = {
    on(event, listener) {
      const list = listeners.get(event) ?? [];
      listeners.set(event, [...list, listener as Listener<never>]);
      return () => emitter.off(event, listener);
    },
    off(event, listener) {
      const list = listeners.get(event);
      if (!list) return;
      const next = list.filter((l) => l !== listener);
      if (next.length > 0) listeners.set(event, next);
      else listeners.delete(event);
    },
    emit(event, payload) {
      const list = listeners.get(event);
      if (!list) return;
      for (const listener of list) {
        try {
          (listener as Listener<E[typeof event]>)(payload);
        } catch {
          // Observers must not be able to break the request path.
        }
      }
    },
    has(event) {
      return listeners.has(event);
    },
  };
  return emitter;
}
