import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/** A value with where it came from. */
export interface Loaded<T> {
  value: T;
  fetchedAt: Date;
  fromCache: boolean;
  /** Set when loading failed and an older copy is served instead. */
  stale?: { ageSeconds: number; error: string };
  /** With `stale`: the error that made the load fail (not for display). */
  staleBecause?: unknown;
}

/** How long one loaded value is kept, and whether it may stand in for a failed reload. */
export interface Expiry {
  ttlMs: number;
  /** False: never served once expired (for answers such as "not found"). */
  serveStale: boolean;
}

interface Entry {
  value: JsonValue;
  fetchedAt: number;
  /** Absent in entries written before per-value expiry: the loader's defaults apply. */
  ttlMs?: number;
  serveStale?: boolean;
}

export interface LoadOptions<T = unknown> {
  /** Load again even when the cached copy is fresh (still shared with loads in flight). */
  refresh?: boolean;
  /**
   * The caller stops waiting when this aborts: it gets the cached copy, marked stale, when one
   * may be served, and the abort reason otherwise. The shared load itself is aborted (its
   * `signal` fires) only once every caller waiting for it has stopped waiting.
   */
  signal?: AbortSignal;
  /** The expiry of this value; the loader's `ttlMs` and stale window by default. */
  expiry?: (value: T) => Expiry;
}

/**
 * How a load was answered: `hit`, a fresh cached copy; `miss`, the loader ran (nothing fresh
 * cached, or a refresh); `stale`, an expired copy stood in for a failed or late load.
 */
export type CachedLoadResult = 'hit' | 'miss' | 'stale';

export interface CachedLoaderOptions {
  /** How long a loaded value is fresh. */
  ttlMs: number;
  /** How long an expired value is kept to be served when loading fails. */
  serveStaleForMs: number;
  /** Refreshes of a value younger than this are answered from the cache. */
  minRefreshIntervalMs?: number;
  /** Which load errors (and abort reasons) an older copy may stand in for; others are thrown. */
  canServeStale: (error: unknown) => boolean;
  /** Turns a load error into the message shown with a stale copy. */
  describeError: (error: unknown) => string;
  /**
   * Also keeps up to this many fresh values in process memory, each until it expires, so that
   * reading one again does not parse it from the cache. Only for values replaced only once they
   * expire (never refreshed or invalidated early): another replica cannot reach this copy. The
   * kept values are frozen, since every caller shares them.
   */
  keepInMemory?: number;
  /**
   * Told how each load was answered (for metrics): once per load for `hit` and `miss` (callers
   * joining a load in flight share its answer), once per caller for `stale`, and `hit` for a
   * caller who stopped waiting and got the fresh cached copy.
   */
  onResult?: (result: CachedLoadResult) => void;
  now?: () => number;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) {
    return;
  }
  Object.freeze(value);
  Object.values(value).forEach(deepFreeze);
}

interface Flight {
  promise: Promise<Loaded<JsonValue>>;
  controller: AbortController;
  /** Callers still waiting; the load is aborted when the last one stops. */
  waiters: number;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('The operation was aborted');
}

/**
 * Get-or-load over the plugin's cache: a value is loaded at most once at a time per key however
 * many callers ask (they share the one load), served from the cache while fresh, and served
 * stale (with its age and the error) when a reload fails, or a caller's deadline passes, in a
 * way `canServeStale` accepts.
 */
export class CachedLoader {
  readonly #cache: CacheService;
  readonly #options: CachedLoaderOptions;
  readonly #inFlight = new Map<string, Flight>();
  /** Fresh entries kept in memory (`keepInMemory`), oldest first. */
  readonly #memory = new Map<string, Entry>();
  /** Bumped by {@link CachedLoader.invalidate}: a load begun before stores nothing. */
  readonly #generations = new Map<string, number>();

  static create(cache: CacheService, options: CachedLoaderOptions) {
    return new CachedLoader(cache, options);
  }

  private constructor(cache: CacheService, options: CachedLoaderOptions) {
    this.#cache = cache;
    this.#options = options;
  }

  /**
   * `T` must survive a JSON round trip: the cache may be Redis or memcache. `loader` gets the
   * shared load's signal, to pass on to every call it makes.
   */
  load<T>(
    key: string,
    loader: (signal: AbortSignal) => Promise<T>,
    options: LoadOptions<T> = {},
  ): Promise<Loaded<T>> {
    let flight = this.#inFlight.get(key);
    if (!flight) {
      const controller = new AbortController();
      const started: Flight = {
        controller,
        waiters: 0,
        promise: this.#resolve(
          key,
          loader as (signal: AbortSignal) => Promise<JsonValue>,
          options as LoadOptions<JsonValue>,
          controller.signal,
        ).finally(() => {
          if (this.#inFlight.get(key) === started) this.#inFlight.delete(key);
        }),
      };
      // Nobody may be left waiting when it fails (all callers aborted): never unhandled.
      started.promise.catch(() => {});
      flight = started;
      this.#inFlight.set(key, flight);
    }
    return this.#wait(key, flight, options.signal) as Promise<
      Loaded<unknown>
    > as Promise<Loaded<T>>;
  }

  /**
   * The next load of `key` reads afresh (its source changed): a load in flight now is neither
   * joined nor stored, and the cached copy stays, expired, to be served stale if that load fails.
   */
  async invalidate(key: string): Promise<void> {
    this.#generations.set(key, (this.#generations.get(key) ?? 0) + 1);
    this.#inFlight.delete(key);
    const entry = await this.#read(key);
    this.#memory.delete(key);
    if (!entry) return;
    if (entry.serveStale === false || this.#options.serveStaleForMs <= 0) {
      await this.#cache.delete(key);
      return;
    }
    const expired: Entry = { ...entry, ttlMs: 0 };
    await this.#cache.set(key, expired as unknown as JsonValue, {
      ttl: this.#options.serveStaleForMs,
    });
  }

  #wait(
    key: string,
    flight: Flight,
    signal: AbortSignal | undefined,
  ): Promise<Loaded<JsonValue>> {
    flight.waiters += 1;
    if (!signal) return flight.promise;
    return new Promise((resolve, reject) => {
      let waiting = true;
      // Only once per caller: whichever comes first, the answer or the abort.
      const stopWaiting = (): boolean => {
        if (!waiting) return false;
        waiting = false;
        flight.waiters -= 1;
        return true;
      };
      const onAbort = () => {
        if (!stopWaiting()) return;
        const reason = abortReason(signal);
        if (flight.waiters === 0) flight.controller.abort(reason);
        this.#instead(key, reason).then(resolve, reject);
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        value => {
          signal.removeEventListener('abort', onAbort);
          if (stopWaiting()) resolve(value);
        },
        error => {
          signal.removeEventListener('abort', onAbort);
          if (stopWaiting()) reject(error);
        },
      );
    });
  }

  /** What a caller that stopped waiting gets: the cached copy (fresh, or stale if allowed). */
  async #instead(key: string, reason: unknown): Promise<Loaded<JsonValue>> {
    const entry = await this.#read(key);
    if (entry) {
      const age = this.#now() - entry.fetchedAt;
      if (age < this.#ttlOf(entry)) {
        this.#options.onResult?.('hit');
        return {
          value: entry.value,
          fetchedAt: new Date(entry.fetchedAt),
          fromCache: true,
        };
      }
      if (entry.serveStale !== false && this.#options.canServeStale(reason)) {
        return this.#stale(entry, reason);
      }
    }
    throw reason;
  }

  async #resolve(
    key: string,
    loader: (signal: AbortSignal) => Promise<JsonValue>,
    options: LoadOptions<JsonValue>,
    signal: AbortSignal,
  ): Promise<Loaded<JsonValue>> {
    const now = this.#now();
    if (options.refresh) this.#memory.delete(key);
    const generation = this.#generations.get(key) ?? 0;
    const entry = await this.#read(key);
    if (entry) {
      const age = now - entry.fetchedAt;
      const fresh = age < this.#ttlOf(entry);
      const tooSoonToRefresh = age < (this.#options.minRefreshIntervalMs ?? 0);
      if (fresh && (!options.refresh || tooSoonToRefresh)) {
        this.#options.onResult?.('hit');
        return {
          value: entry.value,
          fetchedAt: new Date(entry.fetchedAt),
          fromCache: true,
        };
      }
    }
    this.#options.onResult?.('miss');
    try {
      const value = await loader(signal);
      // An aborted load may have turned its aborted calls into "could not read" parts.
      if (signal.aborted) throw abortReason(signal);
      const fetchedAt = this.#now();
      const expiry = options.expiry?.(value) ?? {
        ttlMs: this.#options.ttlMs,
        serveStale: true,
      };
      const stored: Entry = {
        value,
        fetchedAt,
        ttlMs: expiry.ttlMs,
        serveStale: expiry.serveStale,
      };
      if ((this.#generations.get(key) ?? 0) === generation) {
        await this.#cache.set(key, stored as unknown as JsonValue, {
          ttl:
            expiry.ttlMs +
            (expiry.serveStale ? this.#options.serveStaleForMs : 0),
        });
        this.#keep(key, stored);
      }
      return { value, fetchedAt: new Date(fetchedAt), fromCache: false };
    } catch (error) {
      if (
        !entry ||
        entry.serveStale === false ||
        !this.#options.canServeStale(error)
      ) {
        throw error;
      }
      return this.#stale(entry, error);
    }
  }

  #stale(entry: Entry, error: unknown): Loaded<JsonValue> {
    this.#options.onResult?.('stale');
    return {
      value: entry.value,
      fetchedAt: new Date(entry.fetchedAt),
      fromCache: true,
      stale: {
        ageSeconds: Math.round((this.#now() - entry.fetchedAt) / 1000),
        error: this.#options.describeError(error),
      },
      staleBecause: error,
    };
  }

  #ttlOf(entry: Entry): number {
    return entry.ttlMs ?? this.#options.ttlMs;
  }

  async #read(key: string): Promise<Entry | undefined> {
    const kept = this.#memory.get(key);
    if (kept) {
      if (this.#isFresh(kept)) return kept;
      this.#memory.delete(key);
    }
    const raw = await this.#cache.get<JsonValue>(key);
    if (
      raw &&
      typeof raw === 'object' &&
      !Array.isArray(raw) &&
      typeof raw.fetchedAt === 'number' &&
      'value' in raw
    ) {
      const entry = raw as unknown as Entry;
      this.#keep(key, entry);
      return entry;
    }
    return undefined;
  }

  #isFresh(entry: Entry): boolean {
    return this.#now() - entry.fetchedAt < this.#ttlOf(entry);
  }

  #keep(key: string, entry: Entry) {
    const max = this.#options.keepInMemory ?? 0;
    if (max <= 0 || !this.#isFresh(entry)) return;
    deepFreeze(entry);
    this.#memory.delete(key);
    this.#memory.set(key, entry);
    if (this.#memory.size > max) {
      this.#memory.delete(this.#memory.keys().next().value!);
    }
  }

  #now() {
    return (this.#options.now ?? Date.now)();
  }
}
