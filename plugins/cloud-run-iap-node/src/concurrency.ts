import { abortError } from './retry';

/**
 * Bounds how many Google calls run at once. Callers wait in order; a waiting call whose
 * signal aborts leaves the queue and rejects with the abort reason, without ever running.
 * One limiter is one pool: {@link GoogleCloudService} owns the pools a process shares.
 */
export class ConcurrencyLimiter {
  readonly limit: number;
  #active = 0;
  #maxActive = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(
        `A concurrency limit must be a whole number of at least 1, got ${limit}`,
      );
    }
    this.limit = limit;
  }

  /** The most calls that ran at the same time so far. */
  get maxActive() {
    return this.#maxActive;
  }

  /** Calls running now. */
  get active() {
    return this.#active;
  }

  /** Calls waiting for a slot. */
  get queued() {
    return this.#waiting.length;
  }

  async run<T>(
    task: () => Promise<T>,
    options: { signal?: AbortSignal } = {},
  ): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal);
    if (this.#active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        let onAbort = () => {};
        const start = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        onAbort = () => {
          const index = this.#waiting.indexOf(start);
          if (index !== -1) this.#waiting.splice(index, 1);
          reject(abortError(signal!));
        };
        this.#waiting.push(start);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      // The call that finished handed its slot over: #active already counts this one.
    } else {
      this.#active += 1;
    }
    this.#maxActive = Math.max(this.#maxActive, this.#active);
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active -= 1;
    }
  }
}
