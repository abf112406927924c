import type {
  MetricsService,
  MetricsServiceCounter,
} from '@backstage/backend-plugin-api/alpha';
import {
  GoogleCallRecord,
  googleCallMetrics,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { CachedLoadResult } from './CachedLoader';

/** The plugin's caches: built reports, and the Google data reports share (projects, policies…). */
export type CloudRunIapCache = 'reports' | 'shared-data';

/**
 * The plugin's instruments in Backstage's metrics service (OpenTelemetry): Google calls by
 * method and status with their latency, cache hits and misses, and reports served stale.
 * The README lists them.
 */
export class CloudRunIapMetrics {
  readonly #googleCall: (record: GoogleCallRecord) => void;
  readonly #cacheLookups: MetricsServiceCounter<{
    cache: CloudRunIapCache;
    result: 'hit' | 'miss';
  }>;
  readonly #staleReports: MetricsServiceCounter;

  static create(metrics: MetricsService): CloudRunIapMetrics {
    return new CloudRunIapMetrics(metrics);
  }

  private constructor(metrics: MetricsService) {
    this.#googleCall = googleCallMetrics(metrics);
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
    this.#googleCall(record);
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
