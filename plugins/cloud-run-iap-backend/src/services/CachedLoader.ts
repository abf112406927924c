import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/** A value with where it came from. */
export interface Loaded<T> {
  value: T;
  fetchedAt: Date;
  fromCache: boolean;
  /** Set when loading failed and an older copy is served instead. */
  stale?: { ageSeconds: number; error: string };
}

interface Entry {
  value: JsonValue;
  fetchedAt: number;
}

export interface LoadOptions {
  /** Load again even when the cached copy is fresh (still shared with loads in flight). */
  refresh?: boolean;
}

export interface CachedLoaderOptions {
  /** How long a loaded value is fresh. */
  ttlMs: number;
  /** How long an expired value is kept to be served when loading fails. */
  serveStaleForMs: number;
  /** Refreshes of a value younger than this are answered from the cache. */
  minRefreshIntervalMs?: number;
  /** Which load errors an older copy may stand in for; others are thrown. */
  canServeStale: (error: unknown) => boolean;
  /** Turns a load error into the message shown with a stale copy. */
  describeError: (error: unknown) => string;
  now?: () => number;
}

/**
 * Get-or-load over the plugin's cache: a value is loaded at most once at a time per key however
 * many callers ask (they share the one load), served from the cache while fresh, and served
 * stale (with its age and the error) when a reload fails in a way `canServeStale` accepts.
 */
export class CachedLoader {
  readonly #cache: CacheService;
  readonly #options: CachedLoaderOptions;
  readonly #inFlight = new Map<string, Promise<Loaded<JsonValue>>>();

  static create(cache: CacheService, options: CachedLoaderOptions) {
    return new CachedLoader(cache, options);
  }

  private constructor(cache: CacheService, options: CachedLoaderOptions) {
    this.#cache = cache;
    this.#options = options;
  }

  /** `T` must survive a JSON round trip: the cache may be Redis or memcache. */
  load<T>(
    key: string,
    loader: () => Promise<T>,
    options: LoadOptions = {},
  ): Promise<Loaded<T>> {
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#resolve(
        key,
        loader as () => Promise<JsonValue>,
        options,
      ).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending as Promise<Loaded<unknown>> as Promise<Loaded<T>>;
  }

  async #resolve(
    key: string,
    loader: () => Promise<JsonValue>,
    options: LoadOptions,
  ): Promise<Loaded<JsonValue>> {
    const now = this.#now();
    const entry = await this.#read(key);
    if (entry) {
      const age = now - entry.fetchedAt;
      const fresh = age < this.#options.ttlMs;
      const tooSoonToRefresh = age < (this.#options.minRefreshIntervalMs ?? 0);
      if (fresh && (!options.refresh || tooSoonToRefresh)) {
        return {
          value: entry.value,
          fetchedAt: new Date(entry.fetchedAt),
          fromCache: true,
        };
      }
    }
    try {
      const value = await loader();
      const fetchedAt = this.#now();
      await this.#cache.set(
        key,
        { value, fetchedAt } as Entry as unknown as JsonValue,
        { ttl: this.#options.ttlMs + this.#options.serveStaleForMs },
      );
      return { value, fetchedAt: new Date(fetchedAt), fromCache: false };
    } catch (error) {
      if (!entry || !this.#options.canServeStale(error)) throw error;
      return {
        value: entry.value,
        fetchedAt: new Date(entry.fetchedAt),
        fromCache: true,
        stale: {
          ageSeconds: Math.round((this.#now() - entry.fetchedAt) / 1000),
          error: this.#options.describeError(error),
        },
      };
    }
  }

  async #read(key: string): Promise<Entry | undefined> {
    const raw = await this.#cache.get<JsonValue>(key);
    if (
      raw &&
      typeof raw === 'object' &&
      !Array.isArray(raw) &&
      typeof raw.fetchedAt === 'number' &&
      'value' in raw
    ) {
      return raw as unknown as Entry;
    }
    return undefined;
  }

  #now() {
    return (this.#options.now ?? Date.now)();
  }
}
