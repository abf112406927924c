import type {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceHistogram,
} from '@backstage/backend-plugin-api/alpha';
import type { GoogleCallRecord } from '@internal-apps/plugin-cloud-run-iap-node';
import { CachedLoadResult } from './CachedLoader';

/** The plugin's caches: built reports, and the Google data reports share (projects, policies…). */
export type CloudRunIapCache = 'reports' | 'shared-data';

/** Seconds: Google answers in tens of milliseconds, and the client gives up at its timeout. */
const CALL_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * The plugin's instruments in Backstage's metrics service (OpenTelemetry): Google calls by
 * method and status with their latency, cache hits and misses, and reports served stale.
 * The README lists them.
 */
export class CloudRunIapMetrics {
  readonly #googleCalls: MetricsServiceCounter<{
    method: string;
    status: string;
  }>;
  readonly #googleCallDuration: MetricsServiceHistogram<{
    method: string;
    status: string;
  }>;
  readonly #cacheLookups: MetricsServiceCounter<{
    cache: CloudRunIapCache;
    result: 'hit' | 'miss';
  }>;
  readonly #staleReports: MetricsServiceCounter;

  static create(metrics: MetricsService): CloudRunIapMetrics {
    return new CloudRunIapMetrics(metrics);
  }

  private constructor(metrics: MetricsService) {
    this.#googleCalls = metrics.createCounter('cloud_run_iap.google.calls', {
      description:
        'Google API calls (each attempt, retries included) by method and status',
      unit: '{call}',
    });
    this.#googleCallDuration = metrics.createHistogram(
      'cloud_run_iap.google.call.duration',
      {
        description: 'How long each Google API call attempt took',
        unit: 's',
        advice: { explicitBucketBoundaries: CALL_DURATION_BUCKETS },
      },
    );
    this.#cacheLookups = metrics.createCounter('cloud_run_iap.cache.lookups', {
      description:
        'Loads answered from a fresh cached copy (hit) or by reading Google (miss), per cache',
      unit: '{lookup}',
    });
    this.#staleReports = metrics.createCounter('cloud_run_iap.reports.stale', {
      description:
        'Service reports served stale: an older cached copy in place of a failed or late Google read',
      unit: '{report}',
    });
  }

  /** For `GoogleCloudClient`'s `onCall`. */
  googleCall(record: GoogleCallRecord): void {
    const attributes = { method: record.method, status: record.status };
    this.#googleCalls.add(1, attributes);
    this.#googleCallDuration.record(record.durationMs / 1000, attributes);
  }

  /** For a `CachedLoader`'s `onResult`. */
  cacheResult(cache: CloudRunIapCache): (result: CachedLoadResult) => void {
    return result => {
      if (result === 'stale') {
        if (cache === 'reports') this.#staleReports.add(1);
        return;
      }
      this.#cacheLookups.add(1, { cache, result });
    };
  }
}
