/**
 * Bounds how many Google calls run at once. One limiter per limit value is shared by every
 * caller in the process (the backend plugin and the scaffolder actions alike).
 */
export class ConcurrencyLimiter {
  static readonly #shared = new Map<number, ConcurrencyLimiter>();

  static shared(limit: number): ConcurrencyLimiter {
    let limiter = ConcurrencyLimiter.#shared.get(limit);
    if (!limiter) {
      limiter = new ConcurrencyLimiter(limit);
      ConcurrencyLimiter.#shared.set(limit, limiter);
    }
    return limiter;
  }

  readonly limit: number;
  #active = 0;
  #maxActive = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  /** The most calls that ran at the same time so far. */
  get maxActive() {
    return this.#maxActive;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit) {
      await new Promise<void>(resolve => this.#waiting.push(resolve));
    }
    this.#active += 1;
    this.#maxActive = Math.max(this.#maxActive, this.#active);
    try {
      return await task();
    } finally {
      this.#active -= 1;
      this.#waiting.shift()?.();
    }
  }
}
