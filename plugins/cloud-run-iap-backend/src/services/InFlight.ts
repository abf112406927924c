import { createHash } from 'node:crypto';

/**
 * Identical calls in flight, by key: a call asked for a key that is being computed shares that
 * computation (its answer or its error). Nothing is kept once it settles, so every answer comes
 * from a computation that was still running when it was asked for.
 */
export class InFlight<T> {
  readonly #calls = new Map<string, Promise<T>>();

  run(key: string, compute: () => Promise<T>): Promise<T> {
    const running = this.#calls.get(key);
    if (running) return running;
    const call = compute().finally(() => {
      if (this.#calls.get(key) === call) this.#calls.delete(key);
    });
    this.#calls.set(key, call);
    return call;
  }

  /** Calls running now. */
  get size(): number {
    return this.#calls.size;
  }
}

/**
 * A key for one caller's exact credentials (a digest of the token they sent): calls shared under
 * it are shared only by requests that carry the same token, so they see the same catalog
 * entities and get the same permission decisions.
 */
export function callerKeyOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
