import type { RecordedRequest } from '@internal-apps/google-cloud-fake';

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

/**
 * The longest chain of calls in a request log where each call began after the previous one was
 * answered: the calls that had to wait for one another, as the plugin made them. Calls overlap
 * when they ran concurrently, so they are in no chain together. Picking the call that ends first
 * each time gives the longest such chain (interval scheduling).
 */
export function longestCallChain(requests: RecordedRequest[]): number {
  // `time` has millisecond resolution; a call starting within 1 ms of another's end follows it.
  const intervals = requests
    .map(r => {
      const start = Date.parse(r.time);
      return { start, end: start + r.durationMs };
    })
    .sort((a, b) => a.end - b.end);
  let chain = 0;
  let lastEnd = -Infinity;
  for (const interval of intervals) {
    if (interval.start >= lastEnd - 1) {
      chain += 1;
      lastEnd = interval.end;
    }
  }
  return chain;
}

/** The largest number of times one source (method and path) was fetched. */
export function maxFetchesOfOneSource(requests: RecordedRequest[]): number {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.httpMethod} ${r.methodId ?? ''} ${r.path}${r.query}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}

export const mib = (bytes: number) => bytes / 2 ** 20;
