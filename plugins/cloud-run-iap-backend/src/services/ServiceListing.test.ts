import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  GoogleCloudFake,
  SeedInput,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import { parseCloudRunServiceAnnotation } from '@internal-apps/plugin-cloud-run-iap-common';
import { GoogleCloudClient } from '@internal-apps/plugin-cloud-run-iap-node';
import { ServiceListing } from './ServiceListing';

/** More services in one region than one page of `services.list` holds (500). */
const CROWDED = 501;
const ref = (region: string, id: string) =>
  parseCloudRunServiceAnnotation(
    `projects/listing-project/locations/${region}/services/${id}`,
  )[0];

const seed: SeedInput = {
  organizations: [{ id: '123456789012', domain: 'example.com' }],
  projects: [
    {
      id: 'listing-project',
      number: '300000000001',
      parent: 'organizations/123456789012',
      services: [
        ...Array.from({ length: CROWDED }, (_, i) => ({
          id: `app-${String(i).padStart(3, '0')}`,
          region: 'europe-west2',
          iapEnabled: true,
          annotations: { 'backstage.io/entity-ref': `component:default/${i}` },
        })),
        { id: 'lonely', region: 'us-central1' },
      ],
    },
  ],
} as SeedInput;

describe('ServiceListing against the fake', () => {
  let fake: GoogleCloudFake;
  let client: GoogleCloudClient;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed });
    client = GoogleCloudClient.fromConfig(
      new ConfigReader({
        cloudRunIap: { google: { endpoint: fake.url }, concurrency: 4 },
      }),
      {
        logger: mockServices.logger.mock(),
        retry: { baseDelayMs: 5, maxDelayMs: 20, attempts: 3 },
      },
    );
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const calls = (method: string) =>
    fake
      .requests()
      .filter(r => r.methodId === `run.projects.locations.services.${method}`);

  it('reads every service of a region from one paged list, as services.get answers it', async () => {
    const listing = ServiceListing.create(client, {});
    const refs = [
      ref('europe-west2', 'app-000'),
      ref('europe-west2', 'app-500'),
      ref('us-central1', 'lonely'),
    ];
    const listed = await Promise.all(refs.map(r => listing.service(r)));
    expect(calls('get')).toEqual([]);
    // Two pages for the crowded region, one for the other; each region listed once.
    expect(
      calls('list')
        .map(r => `${r.path}${r.query}`)
        .sort(),
    ).toEqual([
      expect.stringMatching(
        /^\/v2\/projects\/listing-project\/locations\/europe-west2\/services\?pageSize=500$/,
      ),
      expect.stringMatching(
        /^\/v2\/projects\/listing-project\/locations\/europe-west2\/services\?pageToken=[^&]+&pageSize=500$/,
      ),
      expect.stringMatching(
        /^\/v2\/projects\/listing-project\/locations\/us-central1\/services\?pageSize=500$/,
      ),
    ]);

    fake.clearRequests();
    const got = await Promise.all(refs.map(r => client.getService(r.name)));
    expect(listed).toEqual(got);
    expect(listed[1]?.annotations).toEqual({
      'backstage.io/entity-ref': 'component:default/500',
    });
  });

  it('answers undefined, as services.get does, for a service its region does not have', async () => {
    const listing = ServiceListing.create(client, {});
    await listing.service(ref('us-central1', 'lonely'));
    expect(await listing.service(ref('us-central1', 'ghost'))).toBeUndefined();
    expect(await client.getService(ref('us-central1', 'ghost').name)).toBe(
      undefined,
    );
    expect(calls('list')).toHaveLength(1);
    expect(calls('get')).toHaveLength(1);
  });

  it('reads each service with services.get when its region cannot be listed', async () => {
    fake.faults.add({
      method: 'run.projects.locations.services.list',
      status: 403,
    });
    const listing = ServiceListing.create(client, {});
    const [found, absent] = await Promise.all([
      listing.service(ref('europe-west2', 'app-007')),
      listing.service(ref('europe-west2', 'ghost')),
    ]);
    expect(found?.name).toBe(
      'projects/listing-project/locations/europe-west2/services/app-007',
    );
    expect(absent).toBeUndefined();
    expect(calls('list')).toHaveLength(1);
    expect(calls('get').map(r => r.path)).toEqual(
      expect.arrayContaining([
        '/v2/projects/listing-project/locations/europe-west2/services/app-007',
        '/v2/projects/listing-project/locations/europe-west2/services/ghost',
      ]),
    );
  });

  it('stops waiting for a list when the caller aborts', async () => {
    fake.faults.add({
      method: 'run.projects.locations.services.list',
      latencyMs: 2_000,
    });
    const listing = ServiceListing.create(client, {});
    const caller = new AbortController();
    const read = listing.service(ref('europe-west2', 'app-001'), {
      signal: caller.signal,
    });
    const reason = new Error('the caller went away');
    caller.abort(reason);
    await expect(read).rejects.toBe(reason);
  });
});
