import {
  GoogleCloudFake,
  demoSeedPath,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import {
  AccessLevelsResponse,
  AccessReportResponse,
  ReviewResponse,
  SimulationResult,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  LEAD,
  NO_ACCESS,
  OUTSIDER,
  PluginTestBackend,
  TestEntity,
  startPluginTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const svc = (project: string, region: string, id: string) =>
  `projects/${project}/locations/${region}/services/${id}`;

/** Every demo-seed service with the coverage and findings its situation must produce. */
const demo: Array<{
  service: [string, string, string];
  coverage: string;
  findings: string[];
}> = [
  {
    service: ['acme-internal-apps', 'europe-west2', 'access-manager'],
    coverage: '2/2',
    findings: [],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'data-sharing-api'],
    coverage: '2/3',
    findings: ['PARTIAL_CONTEXT_AWARE_ACCESS', 'PROGRAMMATIC_CLIENTS'],
  },
  {
    service: ['acme-internal-apps', 'us-central1', 'data-sharing-api'],
    coverage: '0/1',
    findings: ['NO_CONTEXT_AWARE_ACCESS'],
  },
  {
    service: ['acme-internal-apps', 'us-central1', 'callcentre-assistant'],
    coverage: '1/1',
    findings: ['PUBLIC_INVOKER', 'DEFAULT_COMPUTE_SERVICE_ACCOUNT'],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'uptime-monitor'],
    coverage: '0/2',
    findings: [
      'IAP_DISABLED',
      'INVOKER_CHECK_DISABLED',
      'EXTERNAL_ACCESSOR',
      'NO_CONTEXT_AWARE_ACCESS',
    ],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'expense-tracker'],
    coverage: '0/1',
    findings: [
      'IAP_AGENT_NOT_INVOKER',
      'DOMAIN_WIDE_ACCESSOR',
      'NO_CONTEXT_AWARE_ACCESS',
    ],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'hr-portal'],
    coverage: '0/1',
    findings: ['PUBLIC_ACCESSOR', 'NO_CONTEXT_AWARE_ACCESS'],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'wiki-search'],
    coverage: '0/1',
    findings: ['UNKNOWN_ACCESS_LEVEL', 'NO_CONTEXT_AWARE_ACCESS'],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'build-dashboard'],
    coverage: '0/1',
    findings: ['SCOPED_POLICY_LEVEL', 'NO_CONTEXT_AWARE_ACCESS'],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'feature-flags'],
    coverage: '0/2',
    findings: ['NEGATED_OR_OR_CONDITION', 'NO_CONTEXT_AWARE_ACCESS'],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'admin-console'],
    coverage: '1/1',
    findings: ['PATH_OR_HOST_CONDITION'],
  },
  {
    service: ['acme-internal-apps', 'us-east1', 'reports-service'],
    coverage: '1/2',
    findings: ['INHERITED_ACCESS', 'PARTIAL_CONTEXT_AWARE_ACCESS'],
  },
  {
    service: ['acme-legacy-apps', 'europe-west1', 'legacy-intranet'],
    coverage: '0/2',
    findings: [
      'INHERITED_ACCESS',
      'NO_CONTEXT_AWARE_ACCESS',
      'NOT_IN_PERIMETER',
    ],
  },
  {
    service: ['acme-legacy-apps', 'europe-west1', 'batch-importer'],
    coverage: '0/2',
    findings: [
      'IAP_AGENT_NOT_INVOKER',
      'INHERITED_ACCESS',
      'NO_CONTEXT_AWARE_ACCESS',
      'NOT_IN_PERIMETER',
    ],
  },
];
const entityName = ([, region, id]: [string, string, string]) =>
  `${id}-${region}`;

const entities: TestEntity[] = [
  ...demo.map(d => ({
    name: entityName(d.service),
    annotation: svc(...d.service),
    // team-b owns one app, so team-a's review leaves it cold for the deduplication test.
    owner:
      d.service[2] === 'admin-console' ? 'group:default/team-b' : undefined,
  })),
  {
    name: 'data-sharing-api',
    annotation: [
      svc('acme-internal-apps', 'europe-west2', 'data-sharing-api'),
      svc('acme-internal-apps', 'us-central1', 'data-sharing-api'),
    ].join(','),
  },
  {
    name: 'secret-app',
    annotation: svc('acme-internal-apps', 'europe-west2', 'access-manager'),
    labels: { secret: 'true' },
  },
  {
    name: 'missing-app',
    annotation: svc('acme-internal-apps', 'europe-west2', 'no-such-service'),
  },
  {
    name: 'elsewhere-app',
    annotation: svc('acme-other-project', 'europe-west2', 'elsewhere'),
  },
  {
    name: 'broken-annotation',
    annotation: 'projects/acme-internal-apps/services/oops',
  },
  { name: 'no-annotation' },
  {
    name: 'too-many-services',
    annotation: Array.from({ length: 21 }, (_, i) =>
      svc('acme-internal-apps', 'europe-west2', `app-${i}`),
    ).join(','),
  },
];

const access = (name: string) =>
  `/api/cloud-run-iap/entities/by-name/component/default/${name}/access`;

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

describe('cloud-run-iap backend with the catalog and the Google fake', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    portal = await startPluginTestBackend({ fakeUrl: fake.url, entities });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });
  beforeEach(() => fake.clearRequests());

  // The next two tests need a cold cache for what they count: they run first.
  it('fetches data shared by many services once for a whole review', async () => {
    const res = await portal.request(
      'GET',
      '/api/cloud-run-iap/review?owner=group:default/team-a',
    );
    expect(res.status).toBe(200);
    const review = await json<ReviewResponse>(res);
    expect(review.errors.map(e => e.entityRef)).toEqual([
      'component:default/broken-annotation',
      'component:default/too-many-services',
    ]);

    const count = (methodId: string, pathPart = '') =>
      fake
        .requests()
        .filter(r => r.methodId === methodId && r.path.includes(pathPart))
        .length;
    // 14 distinct services (two entities share data-sharing-api) in two projects of one organization.
    const serviceReads = fake
      .requests()
      .filter(r => r.methodId === 'run.projects.locations.services.get');
    expect(serviceReads).toHaveLength(14);
    expect(new Set(serviceReads.map(r => r.path)).size).toBe(14);
    expect(count('accesscontextmanager.accessPolicies.list')).toBe(1);
    expect(
      count('cloudresourcemanager.projects.get', 'acme-internal-apps'),
    ).toBe(1);
    expect(count('cloudresourcemanager.organizations.getIamPolicy')).toBe(1);
    expect(count('iap.getIamPolicy', 'iap_web/cloud_run-europe-west2:')).toBe(
      1,
    );
    expect(count('iap.getIamPolicy', '100000000001/iap_web:')).toBe(1);
  });

  it('shares one upstream fetch among 200 concurrent requests for one entity', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        portal.request('GET', access('admin-console-europe-west2')),
      ),
    );
    expect(responses.map(r => r.status)).toEqual(Array(200).fill(200));
    const serviceReads = fake
      .requests()
      .filter(r => r.methodId === 'run.projects.locations.services.get');
    expect(serviceReads).toHaveLength(1);
    const calls = fake.requests().map(r => `${r.methodId} ${r.path}`);
    expect(new Set(calls).size).toBe(calls.length);
  });

  it('answers /health without credentials', async () => {
    const res = await portal.request('GET', '/api/cloud-run-iap/health', {
      user: null,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it.each([
    ['GET', access('access-manager-europe-west2')],
    ['POST', `${access('access-manager-europe-west2')}/simulate`],
    ['GET', '/api/cloud-run-iap/review?owner=group:default/team-a'],
    ['GET', '/api/cloud-run-iap/access-levels?project=acme-internal-apps'],
  ] as const)('refuses %s %s without a user (401)', async (method, url) => {
    const res = await portal.request(method, url, {
      user: null,
      body: method === 'POST' ? {} : undefined,
    });
    expect(res.status).toBe(401);
    expect(fake.requests()).toEqual([]);
  });

  it.each(demo)(
    'reports $service.2 in $service.1 as the demo seed intends',
    async ({ service, coverage, findings }) => {
      const res = await portal.request('GET', access(entityName(service)));
      expect(res.status).toBe(200);
      const report = await json<AccessReportResponse>(res);
      expect(report.entityRef).toBe(`component:default/${entityName(service)}`);
      expect(report.unavailableServices).toEqual([]);
      expect(report.services).toHaveLength(1);
      const [s] = report.services;
      expect(s.resourceName).toBe(svc(...service));
      expect(`${s.coverage.covered}/${s.coverage.total}`).toBe(coverage);
      expect(s.findings.map(f => f.id).sort()).toEqual([...findings].sort());
      expect(s.notes).toEqual([]);
      expect(new Date(report.fetchedAt).getTime()).toBeLessThanOrEqual(
        Date.now(),
      );
    },
  );

  it('reports the access, coverage and levels of a well restricted app in full', async () => {
    const report = await json<AccessReportResponse>(
      await portal.request('GET', access('access-manager-europe-west2')),
    );
    const [s] = report.services;
    expect(s).toMatchObject({
      projectId: 'acme-internal-apps',
      projectNumber: '100000000001',
      region: 'europe-west2',
      iapEnabled: true,
      ready: 'ready',
      runInvoker: { iapAgentIsInvoker: true, publicMembers: [] },
      perimeter: { inPerimeter: true },
      coverage: { covered: 2, total: 2, ratio: 1 },
    });
    expect(s.accessors.map(a => a.member).sort()).toEqual([
      'group:internal-apps-team@example.com',
      'user:guest@example.com',
    ]);
    expect(s.accessLevels).toEqual([
      expect.objectContaining({
        shortName: 'corp_network',
        status: 'valid',
        conditions: [
          expect.objectContaining({
            ipSubnetworks: expect.arrayContaining(['203.0.113.0/24']),
          }),
        ],
      }),
    ]);
  });

  it('reports every service of an entity that annotates several', async () => {
    const report = await json<AccessReportResponse>(
      await portal.request('GET', access('data-sharing-api')),
    );
    expect(report.services.map(s => s.region)).toEqual([
      'europe-west2',
      'us-central1',
    ]);
  });

  it('names an annotated service that does not exist, without failing the report', async () => {
    const res = await portal.request('GET', access('missing-app'));
    expect(res.status).toBe(200);
    const report = await json<AccessReportResponse>(res);
    expect(report.services).toEqual([]);
    expect(report.unavailableServices).toEqual([
      expect.objectContaining({
        reason: 'not-found',
        resourceName: svc(
          'acme-internal-apps',
          'europe-west2',
          'no-such-service',
        ),
      }),
    ]);
  });

  it('never calls Google for a project the portal is not configured for', async () => {
    const report = await json<AccessReportResponse>(
      await portal.request('GET', access('elsewhere-app')),
    );
    expect(report.unavailableServices).toEqual([
      expect.objectContaining({ reason: 'not-configured' }),
    ]);
    expect(fake.requests()).toEqual([]);
  });

  it.each([
    ['broken-annotation', /invalid annotation/],
    ['no-annotation', /has no google.com\/cloud-run-service annotation/],
    ['too-many-services', /annotates 21 services; at most 20/],
  ])('answers 400 for %s', async (name, message) => {
    const res = await portal.request('GET', access(name));
    expect(res.status).toBe(400);
    const body = await json<any>(res);
    expect(body.error.name).toBe('InputError');
    expect(body.error.message).toMatch(message);
  });

  it('answers 404 for an entity that does not exist', async () => {
    const res = await portal.request('GET', access('nothing-here'));
    expect(res.status).toBe(404);
    expect((await json<any>(res)).error.name).toBe('NotFoundError');
  });

  it('answers 404, not 403, for an entity the caller may not read, and asks Google nothing', async () => {
    expect(
      (await portal.request('GET', access('secret-app'), { user: LEAD }))
        .status,
    ).toBe(200);
    fake.clearRequests();
    const res = await portal.request('GET', access('secret-app'), {
      user: OUTSIDER,
    });
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).not.toContain('access-manager');
    expect(fake.requests()).toEqual([]);
  });

  it('answers 403 when cloud-run-iap.access.read is denied, before any Google call', async () => {
    const res = await portal.request('GET', access('hr-portal-europe-west2'), {
      user: NO_ACCESS,
    });
    expect(res.status).toBe(403);
    const body = await json<any>(res);
    expect(body.error.name).toBe('NotAllowedError');
    expect(JSON.stringify(body)).not.toContain('accessors');
    expect(fake.requests()).toEqual([]);
    const simulate = await portal.request(
      'POST',
      `${access('hr-portal-europe-west2')}/simulate`,
      { user: NO_ACCESS, body: {} },
    );
    expect(simulate.status).toBe(403);
  });

  it.each([
    '/api/cloud-run-iap/entities/by-name/comp!nent/default/x/access',
    '/api/cloud-run-iap/entities/by-name/component/default/-bad-/access',
    '/api/cloud-run-iap/review',
    '/api/cloud-run-iap/review?owner=group:default/team-a&format=xml',
    '/api/cloud-run-iap/review?owner=a:b:c/d/e',
    '/api/cloud-run-iap/access-levels',
    '/api/cloud-run-iap/access-levels?project=Not_A_Project',
    '/api/cloud-run-iap/access-levels?project=projects/acme-internal-apps',
    '/api/cloud-run-iap/access-levels?project=acme-other-project',
  ])('answers 400 for GET %s', async url => {
    const res = await portal.request('GET', url);
    expect(res.status).toBe(400);
    expect((await json<any>(res)).error.name).toBe('InputError');
    expect(fake.requests()).toEqual([]);
  });

  it.each([
    [{ ip: 'not-an-ip' }, /ip/],
    [{ region: 'Great Britain' }, /region/],
    [{ ip: 42 }, /ip: must be a string/],
    [{ projectId: 'acme-internal-apps' }, /projectId: unknown field/],
    [['10.0.0.1'], /JSON object/],
    ['{"ip":', /./],
  ])('answers 400 for the simulation body %j', async (body, message) => {
    const res = await portal.request(
      'POST',
      `${access('access-manager-europe-west2')}/simulate`,
      { body },
    );
    expect(res.status).toBe(400);
    expect((await json<any>(res)).error.message).toMatch(message);
  });

  it('simulates a request from a context for every accessor', async () => {
    const simulate = (body: object) =>
      portal
        .request('POST', `${access('data-sharing-api')}/simulate`, { body })
        .then(r => json<SimulationResult>(r));

    const fromLondon = await simulate({ ip: '198.51.100.7', region: 'GB' });
    expect(fromLondon.services).toHaveLength(2);
    const [euro, us] = fromLondon.services;
    expect(euro.accessors.map(a => a.decision)).toEqual([
      'allow',
      'allow',
      'allow',
    ]);
    expect(us.accessors.map(a => a.decision)).toEqual(['allow']);

    const fromAbroad = await simulate({ ip: '192.0.2.10', region: 'US' });
    const decisions = Object.fromEntries(
      fromAbroad.services[0].accessors.map(a => [a.member, a.decision]),
    );
    expect(Object.values(decisions)).toContain('deny');
    expect(Object.values(decisions)).toContain('allow');
  });

  it('reviews an owner: rows, counts and only what the caller may read', async () => {
    const asLead = await json<ReviewResponse>(
      await portal.request(
        'GET',
        '/api/cloud-run-iap/review?owner=group:default/team-a',
      ),
    );
    const refs = new Set(asLead.rows.map(r => r.entityRef));
    expect(refs.has('component:default/secret-app')).toBe(true);
    expect(refs.has('component:default/admin-console-europe-west2')).toBe(
      false,
    );
    expect(asLead.summary.apps).toBe(17);
    expect(asLead.summary.services).toBe(13);
    expect(asLead.summary.findingsBySeverity.critical).toBeGreaterThan(0);
    expect(asLead.summary.coverageRatio).toBeGreaterThan(0);
    expect(asLead.summary.coverageRatio).toBeLessThan(1);
    expect(
      asLead.unavailableServices.map(u => [u.entityRef, u.reason]),
    ).toEqual([
      ['component:default/elsewhere-app', 'not-configured'],
      ['component:default/missing-app', 'not-found'],
    ]);
    expect(asLead.errors).toEqual([
      {
        entityRef: 'component:default/broken-annotation',
        message: expect.stringMatching(/invalid annotation/),
      },
      {
        entityRef: 'component:default/too-many-services',
        message: expect.stringMatching(/at most 20/),
      },
    ]);
    expect(asLead.rows[0].topFinding?.severity).toBe('critical');

    const asOutsider = await json<ReviewResponse>(
      await portal.request(
        'GET',
        '/api/cloud-run-iap/review?owner=group:default/team-a',
        { user: OUTSIDER },
      ),
    );
    expect(
      asOutsider.rows.some(r => r.entityRef === 'component:default/secret-app'),
    ).toBe(false);
    expect(asOutsider.summary.apps).toBe(16);

    const denied = await json<ReviewResponse>(
      await portal.request(
        'GET',
        '/api/cloud-run-iap/review?owner=group:default/team-a',
        { user: NO_ACCESS },
      ),
    );
    expect(denied.rows).toEqual([]);
    expect(denied.summary.apps).toBe(0);

    const teamB = await json<ReviewResponse>(
      await portal.request('GET', '/api/cloud-run-iap/review?owner=team-b'),
    );
    expect([...new Set(teamB.rows.map(r => r.entityRef))]).toEqual([
      'component:default/admin-console-europe-west2',
    ]);
  });

  it('serves the review as CSV with a header row and quoting', async () => {
    const res = await portal.request(
      'GET',
      '/api/cloud-run-iap/review?owner=group:default/team-a&format=csv',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="access-review-group-default-team-a.csv"/,
    );
    const text = await res.text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'entityRef,serviceName,member,kind,inOrganization,grantLevels,restriction,topFindingId,topFindingSeverity',
    );
    const review = await json<ReviewResponse>(
      await portal.request(
        'GET',
        '/api/cloud-run-iap/review?owner=group:default/team-a',
      ),
    );
    expect(lines).toHaveLength(review.rows.length + 1);
    expect(text).toContain(',allAuthenticatedUsers,public,false,');
    expect(lines.every(line => line.split(',').length === 9)).toBe(true);
  });

  it('lists the access levels IAP can use for a project, without scoped ones', async () => {
    const res = await portal.request(
      'GET',
      '/api/cloud-run-iap/access-levels?project=acme-internal-apps',
    );
    expect(res.status).toBe(200);
    const body = await json<AccessLevelsResponse>(res);
    expect(body.accessPolicy).toBe('accessPolicies/555000000001');
    const byName = Object.fromEntries(
      body.accessLevels.map(l => [l.shortName, l]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'blocked_countries',
      'corp_devices',
      'corp_network',
      'not_blocked',
      'trusted_browser',
      'uk_corp',
      'uk_only',
    ]);
    expect(byName.corp_network).toMatchObject({
      name: 'accessPolicies/555000000001/accessLevels/corp_network',
      title: 'Corporate network',
      kind: 'basic',
      summary: 'IP 203.0.113.0/24, 198.51.100.0/24, 2001:db8::/32',
    });
    expect(byName.not_blocked.summary).toBe('NOT (requires blocked_countries)');
    expect(byName.trusted_browser.kind).toBe('custom');
  });
});

describe('cloud-run-iap backend when Google fails', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      cacheTtlSeconds: 1,
      entities: [
        {
          name: 'warm',
          annotation: svc(
            'acme-internal-apps',
            'europe-west2',
            'access-manager',
          ),
        },
        {
          name: 'cold',
          annotation: svc('acme-internal-apps', 'europe-west2', 'hr-portal'),
        },
        {
          name: 'degraded',
          annotation: svc('acme-internal-apps', 'europe-west2', 'wiki-search'),
        },
      ],
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });
  afterEach(() => fake.faults.clear());

  const expire = () => new Promise(r => setTimeout(r, 1_100));

  it('degrades one part with a note when Google denies an optional source', async () => {
    fake.faults.add({
      method: 'cloudresourcemanager.organizations.getIamPolicy',
      status: 403,
      message:
        "Permission 'resourcemanager.organizations.getIamPolicy' denied for backstage@acme-internal-apps.iam.gserviceaccount.com",
    });
    const res = await portal.request('GET', access('degraded'));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(
      'backstage@acme-internal-apps.iam.gserviceaccount.com',
    );
    const report = JSON.parse(text) as AccessReportResponse;
    expect(report.services[0].notes).toEqual([
      {
        source: 'organization-iam',
        message: expect.stringMatching(
          /organizations\/123456789012.*PERMISSION_DENIED.*<portal service account>/,
        ),
      },
    ]);
    expect(report.services[0].findings.map(f => f.id)).toContain(
      'UNKNOWN_ACCESS_LEVEL',
    );
  });

  it('serves the cached report marked stale, with its age and the error, during an outage', async () => {
    const first = await json<AccessReportResponse>(
      await portal.request('GET', access('warm')),
    );
    expect(first.stale).toBeUndefined();
    await expire();
    fake.faults.add({
      status: 503,
      message:
        'The service is currently unavailable for backstage@acme-internal-apps.iam.gserviceaccount.com.',
    });
    const res = await portal.request('GET', access('warm'));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('backstage@acme-internal-apps');
    const report = JSON.parse(text) as AccessReportResponse;
    expect(report.fromCache).toBe(true);
    expect(report.fetchedAt).toBe(first.fetchedAt);
    expect(report.stale).toEqual({
      ageSeconds: expect.any(Number),
      error: expect.stringMatching(
        /^UNAVAILABLE: The service is currently unavailable for <portal service account>/,
      ),
    });
    expect(report.stale!.ageSeconds).toBeGreaterThanOrEqual(1);
    expect(report.services[0].accessors).toEqual(first.services[0].accessors);
  });

  it('answers 503 with a clear message when nothing is cached', async () => {
    fake.faults.add({ status: 503 });
    const res = await portal.request('GET', access('cold'));
    expect(res.status).toBe(503);
    const body = await json<any>(res);
    expect(body.error.name).toBe('ServiceUnavailableError');
    expect(body.error.message).toMatch(
      /Google Cloud could not be reached for component:default\/cold and no earlier report is cached \(UNAVAILABLE: .*\)\. Try again in a minute\./,
    );
  });

  it('recovers once Google answers again', async () => {
    await expire();
    const report = await json<AccessReportResponse>(
      await portal.request('GET', access('warm')),
    );
    expect(report.stale).toBeUndefined();
    expect(report.fromCache).toBe(false);
  });
});
