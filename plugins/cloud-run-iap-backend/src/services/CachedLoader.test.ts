import { CacheService } from '@backstage/backend-plugin-api';
import { CachedLoader } from './CachedLoader';

/** A CacheService over a Map that honours TTLs on the same clock as the loader. */
function memoryCache(now: () => number): CacheService {
  const store = new Map<string, { value: any; expires: number }>();
  const cache: CacheService = {
    async get(key) {
      const hit = store.get(key);
      return hit && hit.expires > now() ? hit.value : undefined;
    },
    async set(key, value, options) {
      store.set(key, {
        value: JSON.parse(JSON.stringify(value)),
        expires: now() + Number(options?.ttl ?? Infinity),
      });
    },
    async delete(key) {
      store.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}

class Outage extends Error {
  transient = true;
}

describe('CachedLoader', () => {
  let clock: number;
  let loader: CachedLoader;
  const now = () => clock;

  beforeEach(() => {
    clock = 1_000_000;
    loader = CachedLoader.create(memoryCache(now), {
      ttlMs: 60_000,
      serveStaleForMs: 3_600_000,
      minRefreshIntervalMs: 10_000,
      canServeStale: error => error instanceof Outage,
      describeError: error => `failed: ${(error as Error).message}`,
      now,
    });
  });

  it('runs one load for many concurrent callers of a key', async () => {
    let resolve!: (v: number) => void;
    const load = jest.fn(() => new Promise<number>(r => (resolve = r)));
    const results = Array.from({ length: 50 }, () => loader.load('k', load));
    await new Promise(r => setImmediate(r));
    resolve(42);
    const loaded = await Promise.all(results);
    expect(load).toHaveBeenCalledTimes(1);
    expect(loaded.every(l => l.value === 42 && !l.fromCache)).toBe(true);
  });

  it('serves a fresh copy from the cache, and loads again once it expires', async () => {
    let calls = 0;
    const load = jest.fn(async () => ({ n: ++calls }));
    expect((await loader.load('k', load)).fromCache).toBe(false);
    clock += 59_000;
    const cached = await loader.load('k', load);
    expect(cached).toEqual({
      value: { n: 1 },
      fetchedAt: new Date(1_000_000),
      fromCache: true,
    });
    clock += 2_000;
    expect(await loader.load('k', load)).toMatchObject({
      value: { n: 2 },
      fromCache: false,
    });
  });

  it('refreshes on request, but not more often than the minimum interval', async () => {
    let calls = 0;
    const load = jest.fn(async () => ++calls);
    await loader.load('k', load);
    clock += 5_000;
    expect((await loader.load('k', load, { refresh: true })).value).toBe(1);
    clock += 6_000;
    expect((await loader.load('k', load, { refresh: true })).value).toBe(2);
  });

  it('serves the old copy marked stale when a reload fails transiently', async () => {
    await loader.load('k', async () => 'old');
    clock += 120_000;
    const loaded = await loader.load('k', async () => {
      throw new Outage('Google is down');
    });
    expect(loaded).toEqual({
      value: 'old',
      fetchedAt: new Date(1_000_000),
      fromCache: true,
      stale: { ageSeconds: 120, error: 'failed: Google is down' },
      staleBecause: expect.any(Outage),
    });
  });

  it('lets a caller whose signal aborts stop waiting, with the stale copy when one may be served', async () => {
    await loader.load('k', async () => 'old');
    clock += 120_000;
    let loadSignal!: AbortSignal;
    const never = (signal: AbortSignal) => {
      loadSignal = signal;
      return new Promise<string>(() => {});
    };
    const caller = new AbortController();
    const pending = loader.load('k', never, { signal: caller.signal });
    await new Promise(r => setImmediate(r));
    caller.abort(new Outage('deadline'));
    const loaded = await pending;
    expect(loaded.value).toBe('old');
    expect(loaded.stale?.error).toBe('failed: deadline');
    // The only caller left: the shared load is aborted too.
    expect(loadSignal.aborted).toBe(true);
  });

  it('aborts a shared load only when every caller has stopped waiting', async () => {
    let loadSignal!: AbortSignal;
    let resolve!: (v: string) => void;
    const load = (signal: AbortSignal) => {
      loadSignal = signal;
      return new Promise<string>(r => (resolve = r));
    };
    const first = new AbortController();
    const second = new AbortController();
    const a = loader.load('k', load, { signal: first.signal });
    const b = loader.load('k', load, { signal: second.signal });
    await new Promise(r => setImmediate(r));
    first.abort(new Outage('first left'));
    await expect(a).rejects.toThrow('first left');
    expect(loadSignal.aborted).toBe(false);
    resolve('done');
    expect((await b).value).toBe('done');
  });

  it('does not keep what an aborted load returns', async () => {
    const caller = new AbortController();
    let finish!: () => void;
    const pending = loader.load(
      'k',
      signal =>
        new Promise<string>(r => {
          finish = () => r(signal.aborted ? 'partial' : 'whole');
        }),
      { signal: caller.signal },
    );
    await new Promise(r => setImmediate(r));
    caller.abort(new Outage('gone'));
    await expect(pending).rejects.toThrow('gone');
    finish();
    await new Promise(r => setImmediate(r));
    const next = await loader.load('k', async () => 'fresh');
    expect(next).toMatchObject({ value: 'fresh', fromCache: false });
  });

  it('keeps a value for its own expiry, and never serves it stale when told so', async () => {
    const short = { ttlMs: 15_000, serveStale: false };
    await loader.load('k', async () => 'absent', { expiry: () => short });
    clock += 10_000;
    expect(
      (await loader.load('k', async () => 'new', { expiry: () => short }))
        .fromCache,
    ).toBe(true);
    clock += 10_000;
    await expect(
      loader.load('k', async () => {
        throw new Outage('down');
      }),
    ).rejects.toThrow('down');
  });

  it('throws other failures, and transient ones when nothing is cached', async () => {
    await loader.load('k', async () => 'old');
    clock += 120_000;
    await expect(
      loader.load('k', async () => {
        throw new Error('denied');
      }),
    ).rejects.toThrow('denied');
    await expect(
      loader.load('other', async () => {
        throw new Outage('down');
      }),
    ).rejects.toThrow('down');
  });

  it('reads afresh after invalidate, even within the refresh interval, and keeps the old copy for an outage', async () => {
    await loader.load('k', async () => 'before');
    await loader.invalidate('k');
    const after = await loader.load('k', async () => 'after', {
      refresh: false,
    });
    expect(after).toMatchObject({ value: 'after', fromCache: false });
    await loader.invalidate('k');
    const down = await loader.load('k', async () => {
      throw new Outage('down');
    });
    expect(down).toMatchObject({
      value: 'after',
      stale: { error: 'failed: down' },
    });
  });

  it('neither joins nor stores a load begun before invalidate', async () => {
    let finish!: (value: string) => void;
    const early = loader.load(
      'k',
      () => new Promise<string>(resolve => (finish = resolve)),
    );
    await new Promise(r => setImmediate(r));
    await loader.invalidate('k');
    const late = await loader.load('k', async () => 'written since');
    expect(late.value).toBe('written since');
    finish('read before the write');
    expect((await early).value).toBe('read before the write');
    const next = await loader.load('k', async () => 'not called');
    expect(next).toMatchObject({ value: 'written since', fromCache: true });
  });

  it('tells onResult how each load was answered: miss, hit, stale', async () => {
    const results: string[] = [];
    const observed = CachedLoader.create(memoryCache(now), {
      ttlMs: 60_000,
      serveStaleForMs: 3_600_000,
      canServeStale: error => error instanceof Outage,
      describeError: error => `failed: ${(error as Error).message}`,
      onResult: result => results.push(result),
      now,
    });
    await observed.load('k', async () => 'first');
    await observed.load('k', async () => 'not called');
    clock += 60_001;
    const down = await observed.load('k', async () => {
      throw new Outage('down');
    });
    expect(down.stale).toBeDefined();
    // Many callers of one load in flight: one miss.
    await Promise.all([
      observed.load('j', async () => 'shared'),
      observed.load('j', async () => 'shared'),
    ]);
    expect(results).toEqual(['miss', 'hit', 'miss', 'stale', 'miss']);
  });

  it('forgets a copy once it is older than ttl plus serveStaleFor', async () => {
    await loader.load('k', async () => 'old');
    clock += 60_000 + 3_600_000 + 1;
    await expect(
      loader.load('k', async () => {
        throw new Outage('down');
      }),
    ).rejects.toThrow('down');
  });
});

describe('CachedLoader keeping values in memory', () => {
  let clock: number;
  const now = () => clock;
  let cache: CacheService;
  let loader: CachedLoader;

  beforeEach(() => {
    clock = 1_000_000;
    const shared = memoryCache(now);
    cache = { ...shared, get: jest.fn(shared.get) as CacheService['get'] };
    loader = CachedLoader.create(cache, {
      ttlMs: 60_000,
      serveStaleForMs: 0,
      canServeStale: () => false,
      describeError: error => String(error),
      keepInMemory: 2,
      now,
    });
  });

  it('answers from memory while the value is fresh, frozen, and from the cache once it expires', async () => {
    let calls = 0;
    const load = jest.fn(async () => ({ n: ++calls, list: [1] }));
    const first = await loader.load('k', load);
    const again = await loader.load('k', load);
    expect(again.value).toBe(first.value);
    expect(again.fromCache).toBe(true);
    expect(again.fetchedAt).toEqual(first.fetchedAt);
    expect(cache.get).toHaveBeenCalledTimes(1);
    expect(Object.isFrozen((again.value as { list: number[] }).list)).toBe(
      true,
    );

    clock += 60_000;
    const reloaded = await loader.load('k', load);
    expect(reloaded.value).toEqual({ n: 2, list: [1] });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps what another loader stored once it has read it, and only the newest values', async () => {
    const other = CachedLoader.create(cache, {
      ttlMs: 60_000,
      serveStaleForMs: 0,
      canServeStale: () => false,
      describeError: error => String(error),
      now,
    });
    await other.load('a', async () => 'a');
    await loader.load('a', async () => 'never');
    await loader.load('b', async () => 'b');
    await loader.load('c', async () => 'c');
    (cache.get as jest.Mock).mockClear();
    // a was the oldest of three kept with room for two: read from the cache again.
    expect((await loader.load('a', async () => 'never')).value).toBe('a');
    expect((await loader.load('c', async () => 'never')).value).toBe('c');
    expect(cache.get).toHaveBeenCalledTimes(1);
  });

  it('reads the cache again after a refresh or an invalidation', async () => {
    let calls = 0;
    const load = async () => ++calls;
    await loader.load('k', load);
    expect((await loader.load('k', load, { refresh: true })).value).toBe(2);
    await loader.invalidate('k');
    expect((await loader.load('k', load)).value).toBe(3);
  });
});
