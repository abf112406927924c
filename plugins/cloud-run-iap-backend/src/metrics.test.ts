import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import {
  cloudRunIapGoogleServiceRef,
  GoogleCloudService,
} from '@internal-apps/plugin-cloud-run-iap-node';
import { RecordingMetrics } from './__testUtils__/recordingMetrics';
import { demoSeedLinkedTo } from './__testUtils__/seeds';
import {
  PluginTestBackend,
  startPluginTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(60_000);

/*
 * The plugin's metrics (README, "Metrics") as a report is read against the fake: Google calls
 * by method and status with their latency, cache misses then hits, and a report served stale
 * while Google is down.
 */

const APP = 'access-manager';
const report = `/api/cloud-run-iap/entities/by-name/component/default/${APP}/access`;

describe('cloud-run-iap metrics', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;
  const metrics = new RecordingMetrics();

  beforeAll(async () => {
    fake = await startGoogleCloudFake({
      seed: demoSeedLinkedTo(({ id }) => ({
        entityRef: `component:default/${id}`,
      })),
    });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      cacheTtlSeconds: 1,
      entities: [
        {
          name: APP,
          annotation: `projects/acme-internal-apps/locations/europe-west2/services/${APP}`,
        },
      ],
      features: [
        metrics.factory(),
        // Quick retries: a failed load gives up in milliseconds rather than seconds.
        createServiceFactory({
          service: cloudRunIapGoogleServiceRef,
          deps: { config: coreServices.rootConfig },
          factory: ({ config }) =>
            GoogleCloudService.fromConfig(config, {
              retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
            }),
        }),
      ],
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  const calls = (attributes = {}) =>
    metrics.sum('cloud_run_iap.google.calls', attributes);
  const lookups = (cache: string, result: string) =>
    metrics.sum('cloud_run_iap.cache.lookups', { cache, result });

  it('counts Google calls, cache misses and hits, and stale reports', async () => {
    const first = await portal.request('GET', report);
    expect(first.status).toBe(200);
    // One attempt per request the fake answered, each with its method, status and duration.
    const answered = fake.requests().length;
    expect(answered).toBeGreaterThan(0);
    expect(calls()).toBe(answered);
    const refused = fake.requests().filter(r => r.status === 404).length;
    expect(calls({ status: 'OK' })).toBe(answered - refused);
    expect(calls({ status: 'NOT_FOUND' })).toBe(refused);
    expect(calls({ method: 'services.get', status: 'OK' })).toBe(1);
    const durations = metrics.matching('cloud_run_iap.google.call.duration');
    expect(durations).toHaveLength(answered);
    expect(durations.every(d => d.value >= 0 && d.value < 30)).toBe(true);
    expect(lookups('reports', 'miss')).toBe(1);
    expect(lookups('shared-data', 'miss')).toBeGreaterThan(0);
    expect(lookups('reports', 'hit')).toBe(0);

    const again = await portal.request('GET', report);
    expect(((await again.json()) as { fromCache: boolean }).fromCache).toBe(
      true,
    );
    expect(lookups('reports', 'hit')).toBe(1);
    expect(calls()).toBe(answered);
    expect(metrics.sum('cloud_run_iap.reports.stale')).toBe(0);

    fake.faults.add({ id: 'outage', status: 503 });
    await new Promise(r => setTimeout(r, 1_100));
    const down = await portal.request('GET', report);
    expect(((await down.json()) as { stale?: unknown }).stale).toBeDefined();
    expect(metrics.sum('cloud_run_iap.reports.stale')).toBe(1);
    expect(calls({ status: 'UNAVAILABLE' })).toBeGreaterThan(0);
    expect(lookups('reports', 'miss')).toBe(2);
  });
});
