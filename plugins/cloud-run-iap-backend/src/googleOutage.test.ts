import {
  GoogleCloudFake,
  demoSeedPath,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import { AccessReportResponse } from '@internal-apps/plugin-cloud-run-iap-common';
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

/**
 * Google down across several cache lifetimes (the cache lives 1 s here, so three expiries stand
 * for a long outage without a 60 s test): every report is served stale with its age, the
 * backend keeps answering, and it recovers with no restart once Google answers again.
 */
describe('cloud-run-iap backend through a Google outage', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      cacheTtlSeconds: 1,
      entities: APPS.map(id => ({
        name: id,
        annotation: svc(id),
        owner: 'group:default/internal-apps-team',
      })),
      links: APPS.map(id => ({
        service: svc(id),
        entityRef: `component:default/${id}`,
      })),
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  const report = async (name: string) => {
    const res = await portal.request('GET', access(name));
    return { status: res.status, body: (await res.json()) as any };
  };
  const withoutTimes = (services: unknown[]) =>
    services.map(s => ({ ...(s as object), analyzedAt: '<time>' }));
  const expire = () => new Promise(r => setTimeout(r, 1_100));

  it('serves every cached report stale with a growing age, keeps answering, and recovers by itself', async () => {
    const before = new Map<string, AccessReportResponse>();
    for (const app of APPS) {
      const { status, body } = await report(app);
      expect(status).toBe(200);
      expect(body.stale).toBeUndefined();
      before.set(app, body);
    }

    fake.faults.add({ id: 'outage-503', status: 503 });
    let waited = 0;
    let lastAge = -1;
    for (let round = 0; round < 3; round++) {
      await expire();
      waited += 1.1;
      for (const app of APPS) {
        const { status, body } = await report(app);
        expect(status).toBe(200);
        expect(body.fromCache).toBe(true);
        expect(body.fetchedAt).toBe(before.get(app)!.fetchedAt);
        expect(body.services).toEqual(before.get(app)!.services);
        expect(body.stale).toEqual({
          ageSeconds: expect.any(Number),
          error: expect.stringMatching(/^UNAVAILABLE/),
        });
        expect(body.stale.ageSeconds).toBeGreaterThanOrEqual(
          Math.floor(waited),
        );
      }
      const first = await report(APPS[0]);
      expect(first.body.stale.ageSeconds).toBeGreaterThanOrEqual(lastAge);
      lastAge = first.body.stale.ageSeconds;
      // A route that needs no Google call answers as usual during the outage.
      const bad = await portal.request('GET', '/api/cloud-run-iap/review');
      expect(bad.status).toBe(400);
    }
    expect(fake.requests().some(r => r.status === 503)).toBe(true);

    fake.faults.remove('outage-503');
    await expire();
    for (const app of APPS) {
      const { status, body } = await report(app);
      expect(status).toBe(200);
      expect(body.stale).toBeUndefined();
      expect(body.fromCache).toBe(false);
      expect(withoutTimes(body.services)).toEqual(
        withoutTimes(before.get(app)!.services),
      );
    }
  });
});
