import type { AbortSignalLike } from "@switchyard/pool";

/**
 * A request's abort signal: aborted when its client goes away (or the server shuts down).
 *
 * Has the surface of `AbortSignal` that the proxy uses (`aborted`, `reason`, `abort`
 * listeners) at a fraction of the cost: a standard `AbortController` plus one listener costs
 * several µs per request, which is measurable at thousands of requests a second. A standard
 * signal for APIs that need one is made on demand by {@link RequestSignal.standard}.
 *
 * Listeners run once, in the order they were added, with no arguments.
 */
export class RequestSignal implements AbortSignalLike {
  aborted = false;
  reason: unknown = undefined;
  /** Index in the {@link InFlight} list holding it, -1 when in none. */
  slot = -1;
  #listeners: Array<() => void> | undefined = undefined;
  #controller: AbortController | undefined = undefined;

  addEventListener(_type: "abort", listener: () => void): void {
    if (this.aborted) return;
    if (this.#listeners === undefined) this.#listeners = [listener];
    else this.#listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const listeners = this.#listeners;
    if (listeners === undefined) return;
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  }

  /** Aborts with `reason`; listeners run now. A second call does nothing. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
    this.#controller?.abort(reason);
  }

  /** Throws the abort reason if aborted. */
  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  /** A standard `AbortSignal` that follows this one (made on first use, then shared). */
  get standard(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }
}

/**
 * The signals of the requests in flight. An array with swap-remove instead of a `Set`: a set
 * that gains and loses an entry per request keeps rehashing into fresh tables, each promoted to
 * the old generation because the set itself lives there.
 */
export class InFlight {
  readonly #signals: RequestSignal[] = [];

  get size(): number {
    return this.#signals.length;
  }

  add(signal: RequestSignal): void {
    if (signal.slot >= 0) return;
    signal.slot = this.#signals.length;
    this.#signals.push(signal);
  }

  delete(signal: RequestSignal): void {
    const slot = signal.slot;
    const signals = this.#signals;
    if (slot < 0 || signals[slot] !== signal) return;
    const last = signals.pop() as RequestSignal;
    if (last !== signal) {
      signals[slot] = last;
      last.slot = slot;
    }
    signal.slot = -1;
  }

  /** Aborts every request in flight with `reason`. */
  abortAll(reason: unknown): void {
    for (const signal of [...this.#signals]) signal.abort(reason);
  }
}
