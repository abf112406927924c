import { ConfigReader } from '@backstage/config';
import { readCloudRunIapConfig } from './config';

const key = JSON.stringify({
  type: 'service_account',
  client_email: 'portal@acme-internal-apps.iam.gserviceaccount.com',
  private_key:
    '-----BEGIN PRIVATE KEY-----\nsekrit\n-----END PRIVATE KEY-----\n',
});

const read = (cloudRunIap: object) =>
  readCloudRunIapConfig(new ConfigReader({ cloudRunIap }));

const refusal = (cloudRunIap: object) => {
  try {
    read(cloudRunIap);
  } catch (error) {
    return String(error);
  }
  throw new Error('expected the config to be refused');
};

describe('readCloudRunIapConfig', () => {
  it('has safe defaults: Google itself, 30 s per call, 16 reads and 4 writes, no workforce pool', () => {
    const config = read({});
    expect(config.google).toEqual({
      credentials: undefined,
      endpoint: undefined,
      privateEndpoint: false,
      timeoutMs: 30_000,
    });
    expect(config.concurrency).toBe(16);
    expect(config.writeConcurrency).toBe(4);
    expect(config.organization.workforcePools).toEqual([]);
  });

  it('refuses credentials next to a plain endpoint, naming both keys and never the key itself', () => {
    const message = refusal({
      google: { endpoint: 'http://127.0.0.1:8085', credentials: key },
    });
    expect(message).toMatch(
      /cloudRunIap\.google\.credentials must not be set together with cloudRunIap\.google\.endpoint/,
    );
    expect(message).toMatch(/privateEndpoint: true/);
    expect(message).not.toMatch(/sekrit|PRIVATE KEY|portal@/);
    // An https endpoint that is not marked private is refused the same way.
    expect(
      refusal({
        google: { endpoint: 'https://run-psc.example.com', credentials: key },
      }),
    ).toMatch(/must not be set together/);
  });

  it('accepts credentials for an https endpoint marked as a Google private endpoint', () => {
    const config = read({
      google: {
        endpoint: 'https://run-psc.example.com/',
        privateEndpoint: true,
        credentials: key,
      },
    });
    expect(config.google.endpoint).toBe('https://run-psc.example.com');
    expect(config.google.privateEndpoint).toBe(true);
    expect(config.google.credentials).toMatchObject({
      type: 'service_account',
    });
  });

  it('marks only an https endpoint as private', () => {
    expect(
      refusal({
        google: { endpoint: 'http://127.0.0.1:8085', privateEndpoint: true },
      }),
    ).toMatch(
      /cloudRunIap\.google\.privateEndpoint needs cloudRunIap\.google\.endpoint to be an https:\/\/ URL.*got http:\/\/127\.0\.0\.1:8085/,
    );
    expect(refusal({ google: { privateEndpoint: true } })).toMatch(
      /got no endpoint/,
    );
  });

  it('reads the timeout as a duration, and refuses a zero one', () => {
    expect(read({ google: { timeout: { seconds: 5 } } }).google.timeoutMs).toBe(
      5_000,
    );
    expect(
      read({ google: { timeout: { milliseconds: 250 } } }).google.timeoutMs,
    ).toBe(250);
    expect(refusal({ google: { timeout: { seconds: 0 } } })).toMatch(
      /cloudRunIap\.google\.timeout must be a duration longer than zero/,
    );
  });

  it('reads cache.ttl as a duration in any HumanDuration unit or string, keeping { seconds, minutes }', () => {
    expect(read({}).cacheTtlSeconds).toBe(60);
    expect(read({ cache: { ttl: { seconds: 90 } } }).cacheTtlSeconds).toBe(90);
    expect(
      read({ cache: { ttl: { minutes: 2, seconds: 5 } } }).cacheTtlSeconds,
    ).toBe(125);
    expect(read({ cache: { ttl: { hours: 1 } } }).cacheTtlSeconds).toBe(3600);
    expect(read({ cache: { ttl: '5m' } }).cacheTtlSeconds).toBe(300);
    expect(read({ cache: { ttl: { seconds: 0 } } }).cacheTtlSeconds).toBe(0);
    expect(refusal({ cache: { ttl: { secs: 5 } } })).toMatch(
      /cloudRunIap\.cache\.ttl must be a duration such as .*Needs one or more of/,
    );
    expect(refusal({ cache: { ttl: 'soon' } })).toMatch(
      /cloudRunIap\.cache\.ttl must be a duration such as .*Invalid duration 'soon'/,
    );
    expect(refusal({ cache: { ttl: { seconds: -1 } } })).toMatch(
      /cloudRunIap\.cache\.ttl must be a duration of zero or more/,
    );
  });

  it('names the key when google.timeout or report.deadline is not a duration', () => {
    expect(refusal({ google: { timeout: { sec: 5 } } })).toMatch(
      /cloudRunIap\.google\.timeout must be a duration such as/,
    );
    expect(refusal({ report: { deadline: 'later' } })).toMatch(
      /cloudRunIap\.report\.deadline must be a duration such as/,
    );
  });

  it('refuses pool sizes that are not whole numbers of at least 1', () => {
    expect(refusal({ writeConcurrency: 0 })).toMatch(
      /cloudRunIap\.writeConcurrency must be a whole number of at least 1, got 0/,
    );
    expect(refusal({ concurrency: 2.5 })).toMatch(
      /cloudRunIap\.concurrency must be a whole number of at least 1, got 2\.5/,
    );
    expect(read({ concurrency: 3, writeConcurrency: 1 })).toMatchObject({
      concurrency: 3,
      writeConcurrency: 1,
    });
  });

  it('reads workforce pools and refuses what is not a pool ID', () => {
    expect(
      read({ organization: { workforcePools: ['staff', 'contractors-eu'] } })
        .organization.workforcePools,
    ).toEqual(['staff', 'contractors-eu']);
    expect(
      refusal({
        organization: {
          workforcePools: ['staff', 'locations/global/workforcePools/staff'],
        },
      }),
    ).toMatch(
      /cloudRunIap\.organization\.workforcePools\[1\] must be a workforce pool ID/,
    );
  });
});

describe('readCloudRunIapConfig: links and per-request bounds', () => {
  const projects = [{ id: 'acme-internal-apps', regions: ['europe-west2'] }];
  const service =
    'projects/acme-internal-apps/locations/europe-west2/services/payroll';

  it('defaults to no links, a 60 s report deadline and reviews of at most 500 entities', () => {
    const config = read({});
    expect(config.links).toEqual([]);
    expect(config.report.deadlineMs).toBe(60_000);
    expect(config.review.maxEntities).toBe(500);
  });

  it('reads links (entity refs lower-cased), the deadline and the cap', () => {
    const config = read({
      projects,
      links: [{ service, entityRef: 'Component:default/Payroll' }],
      report: { deadline: { seconds: 5 } },
      review: { maxEntities: 20 },
    });
    expect(config.links).toEqual([
      { service, entityRef: 'component:default/payroll' },
    ]);
    expect(config.report.deadlineMs).toBe(5_000);
    expect(config.review.maxEntities).toBe(20);
  });

  it.each([
    [
      {
        projects,
        links: [{ service: 'payroll', entityRef: 'component:default/x' }],
      },
      /cloudRunIap\.links\[0\]\.service must be projects\/<project-id>\/locations\/<region>\/services\/<service-id>, got "payroll"/,
    ],
    [
      {
        projects,
        links: [
          {
            service: service.replace('acme-internal-apps', 'acme-elsewhere'),
            entityRef: 'component:default/x',
          },
        ],
      },
      /cloudRunIap\.links\[0\]\.service is in project acme-elsewhere, which is not one of cloudRunIap\.projects/,
    ],
    [
      { projects, links: [{ service, entityRef: 'payroll' }] },
      /cloudRunIap\.links\[0\]\.entityRef must be a full entity reference kind:namespace\/name/,
    ],
    [
      { review: { maxEntities: 0 } },
      /cloudRunIap\.review\.maxEntities must be a whole number of at least 1, got 0/,
    ],
    [
      { report: { deadline: { seconds: 0 } } },
      /cloudRunIap\.report\.deadline must be a duration longer than zero/,
    ],
  ])('refuses %j, naming the key and the rule', (cloudRunIap, message) => {
    expect(refusal(cloudRunIap)).toMatch(message);
  });
});
