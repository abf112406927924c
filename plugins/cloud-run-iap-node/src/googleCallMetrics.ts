import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import type { GoogleCallRecord } from './GoogleCloudClient';

/** Seconds: Google answers in tens of milliseconds, and the client gives up at its timeout. */
const CALL_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * The `onCall` of a `GoogleCloudClient` that counts its calls in a plugin's metrics service:
 * `cloud_run_iap.google.calls` and `cloud_run_iap.google.call.duration` (seconds), both by
 * method and status, one measurement per attempt (retries included).
 *
 * @public
 */
export function googleCallMetrics(
  metrics: MetricsService,
): (record: GoogleCallRecord) => void {
  const calls = metrics.createCounter<{ method: string; status: string }>(
    'cloud_run_iap.google.calls',
    {
      description:
        'Google API calls (each attempt, retries included) by method and status',
      unit: '{call}',
    },
  );
  const duration = metrics.createHistogram<{ method: string; status: string }>(
    'cloud_run_iap.google.call.duration',
    {
      description: 'How long each Google API call attempt took',
      unit: 's',
      advice: { explicitBucketBoundaries: CALL_DURATION_BUCKETS },
    },
  );
  return record => {
    const attributes = { method: record.method, status: record.status };
    calls.add(1, attributes);
    duration.record(record.durationMs / 1000, attributes);
  };
}
