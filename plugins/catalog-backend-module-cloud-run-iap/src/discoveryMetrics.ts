import { MetricsService } from '@backstage/backend-plugin-api/alpha';

/**
 * How one scheduled discovery run of a project ended.
 *
 * @public
 */
export type DiscoveryOutcome =
  | { outcome: 'success'; services: number }
  | { outcome: 'failure' };

/**
 * The discovery's metrics: `cloud_run_iap.discovery.runs` (project, outcome) and
 * `cloud_run_iap.discovery.services`, the services a successful run handed the catalog.
 */
export function discoveryMetrics(
  metrics: MetricsService,
): (projectId: string, run: DiscoveryOutcome) => void {
  const runs = metrics.createCounter<{ project: string; outcome: string }>(
    'cloud_run_iap.discovery.runs',
    { description: 'Scheduled discovery runs, by project and outcome' },
  );
  const services = metrics.createHistogram<{ project: string }>(
    'cloud_run_iap.discovery.services',
    {
      description: 'Cloud Run services a successful discovery run emitted',
      unit: '{service}',
    },
  );
  return (projectId, run) => {
    runs.add(1, { project: projectId, outcome: run.outcome });
    if (run.outcome === 'success') {
      services.record(run.services, { project: projectId });
    }
  };
}
