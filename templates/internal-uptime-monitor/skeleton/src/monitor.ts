// Checks a list of URLs on a schedule and keeps the latest result of each.

export interface Target {
  name: string;
  url: string;
  /** Status codes that count as up; default any 2xx or 3xx. */
  expectStatus?: number[];
}

export interface CheckResult {
  name: string;
  url: string;
  up: boolean;
  status?: number;
  error?: string;
  latencyMs: number;
  checkedAt: string;
}

export function parseTargets(text: string): Target[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) throw new Error('targets must be a JSON array');
  return value.map((item, index) => {
    const where = `targets[${index}]`;
    if (!item || typeof item !== 'object') throw new Error(`${where} must be an object`);
    const { name, url, expectStatus } = item as Record<string, unknown>;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
      throw new Error(`${where}.url must be an http(s) URL`);
    }
    if (expectStatus !== undefined && !(Array.isArray(expectStatus) && expectStatus.every(Number.isInteger))) {
      throw new Error(`${where}.expectStatus must be a list of status codes`);
    }
    return {
      name: typeof name === 'string' && name ? name : url,
      url,
      ...(expectStatus ? { expectStatus: expectStatus as number[] } : {}),
    };
  });
}

export async function checkTarget(target: Target, timeoutMs = 10_000): Promise<CheckResult> {
  const started = performance.now();
  const checkedAt = new Date().toISOString();
  try {
    const response = await fetch(target.url, {
      method: 'GET',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    const up = target.expectStatus
      ? target.expectStatus.includes(response.status)
      : response.status >= 200 && response.status < 400;
    return {
      name: target.name,
      url: target.url,
      up,
      status: response.status,
      latencyMs: Math.round(performance.now() - started),
      checkedAt,
    };
  } catch (error) {
    const e = error as Error & {
      cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> };
    };
    const cause = e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message;
    return {
      name: target.name,
      url: target.url,
      up: false,
      error: e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause ?? e.message),
      latencyMs: Math.round(performance.now() - started),
      checkedAt,
    };
  }
}

export class UptimeMonitor {
  readonly #targets: Target[];
  readonly #results = new Map<string, CheckResult>();
  readonly #log: (entry: Record<string, unknown>) => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(targets: Target[], log: (entry: Record<string, unknown>) => void = () => {}) {
    this.#targets = targets;
    this.#log = log;
  }

  async checkAll(): Promise<CheckResult[]> {
    const results = await Promise.all(this.#targets.map(t => checkTarget(t)));
    for (const result of results) {
      const before = this.#results.get(result.url);
      if (before && before.up !== result.up) {
        this.#log({
          severity: result.up ? 'NOTICE' : 'ERROR',
          message: `${result.name} is ${result.up ? 'up again' : 'down'}`,
          ...result,
        });
      }
      this.#results.set(result.url, result);
    }
    return results;
  }

  results(): CheckResult[] {
    return this.#targets.map(t => this.#results.get(t.url)).filter((r): r is CheckResult => !!r);
  }

  start(intervalMs: number): void {
    const run = () => {
      this.checkAll().catch(error => this.#log({ severity: 'ERROR', message: 'check failed', error: String(error) }));
    };
    run();
    this.#timer = setInterval(run, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
