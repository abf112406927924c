import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  GoogleCloudFake,
  demoSeedPath,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import { AccessReportResponse } from '@internal-apps/plugin-cloud-run-iap-common';
import {
  cloudRunIapGoogleServiceRef,
  GoogleCloudService,
} from '@internal-apps/plugin-cloud-run-iap-node';
import {
  PluginTestBackend,
  startPluginTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(60_000);

const svc = (id: string) =>
  `projects/acme-internal-apps/locations/europe-west2/services/${id}`;
const access = (name: string) =>
  `/api/cloud-run-iap/entities/by-name/component/default/${name}/access`;
const APPS = ['access-manager', 'hr-portal'];

/** How long Google is down, on the test's clock. */
const OUTAGE_SECONDS = 60;
/** Reports are fresh this long (10 s), so the outage outlasts six of their lifetimes. */
const CACHE_TTL_SECONDS = 10;

/**
 * Time here is the test's: `Date` is faked (timers are not, so retries and sockets run as
 * usual) and only moves when the test moves it, so the 60 s of outage take no wall time and
 * every age is exact.
 */
function useTestClock() {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  const start = Date.now();
  return {
    start,
    at: (seconds: number) => jest.setSystemTime(start + seconds * 1000),
  };
}

/**
 * Google down for 60 s: every report is served stale with its age, the backend stays healthy
 * (readiness, and a route that needs no Google call), and once Google answers again the next
 * report is fresh, with no restart.
 */
describe('cloud-run-iap backend through a 60 s Google outage', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      cacheTtlSeconds: CACHE_TTL_SECONDS,
      entities: APPS.map(id => ({
        name: id,
        annotation: svc(id),
        owner: 'group:default/internal-apps-team',
      })),
      links: APPS.map(id => ({
        service: svc(id),
        entityRef: `component:default/${id}`,
      })),
      // Quick retries: a failed load gives up in milliseconds rather than seconds.
      features: [
        createServiceFactory({
          service: cloudRunIapGoogleServiceRef,
          deps: { config: coreServices.rootConfig },
          factory: ({ config }) =>
            GoogleCloudService.fromConfig(config, {
              retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
            }),
        }),
      ],
    });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await portal?.stop();
    await fake?.stop();
  });

  const report = async (name: string) => {
    const res = await portal.request('GET', access(name));
    return { status: res.status, body: (await res.json()) as any };
  };
  const readiness = async () =>
    (await fetch(`${portal.baseUrl}/.backstage/health/v1/readiness`)).status;
  const withoutTimes = (services: unknown[]) =>
    services.map(s => ({ ...(s as object), analyzedAt: '<time>' }));

  it('serves every cached report stale with its exact age, stays ready, and recovers by itself', async () => {
    const clock = useTestClock();
    const before = new Map<string, AccessReportResponse>();
    for (const app of APPS) {
      const { status, body } = await report(app);
      expect(status).toBe(200);
      expect(body.stale).toBeUndefined();
      expect(body.fromCache).toBe(false);
      expect(body.fetchedAt).toBe(new Date(clock.start).toISOString());
      before.set(app, body);
    }

    fake.faults.add({ id: 'outage-503', status: 503 });
    for (let seconds = 15; seconds <= OUTAGE_SECONDS; seconds += 15) {
      clock.at(seconds);
      for (const app of APPS) {
        const { status, body } = await report(app);
        expect(status).toBe(200);
        expect(body.fromCache).toBe(true);
        expect(body.fetchedAt).toBe(before.get(app)!.fetchedAt);
        expect(body.services).toEqual(before.get(app)!.services);
        expect(body.stale).toEqual({
          ageSeconds: seconds,
          error: expect.stringMatching(/^UNAVAILABLE/),
        });
      }
      expect(await readiness()).toBe(200);
      // A route that needs no Google call answers as usual during the outage.
      const bad = await portal.request('GET', '/api/cloud-run-iap/review');
      expect(bad.status).toBe(400);
    }
    // Every report of the outage did try Google (the cache was past its lifetime).
    const failed = fake.requests().filter(r => r.fault === 'outage-503');
    expect(failed.length).toBeGreaterThanOrEqual(
      (OUTAGE_SECONDS / 15) * APPS.length,
    );

    fake.faults.remove('outage-503');
    clock.at(OUTAGE_SECONDS + 1);
    for (const app of APPS) {
      const { status, body } = await report(app);
      expect(status).toBe(200);
      expect(body.stale).toBeUndefined();
      expect(body.fromCache).toBe(false);
      expect(body.fetchedAt).toBe(
        new Date(clock.start + (OUTAGE_SECONDS + 1) * 1000).toISOString(),
      );
      expect(withoutTimes(body.services)).toEqual(
        withoutTimes(before.get(app)!.services),
      );
    }
    expect(await readiness()).toBe(200);
  });
});
