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
import fs from 'node:fs';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { demoSeedLinkedTo } from './__testUtils__/seeds';
import {
  LEAD,
  NO_ACCESS,
  NO_LEVELS,
  OUTSIDER,
  PluginTestBackend,
  TEST_PROJECTS,
  TestEntity,
  startPluginTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

/** The group the demo seed records as the owner of its services (backstage.io/owner-group). */
const DEMO_OWNER = 'group:default/internal-apps-team';

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
    coverage: '4/4',
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
    coverage: '2/2',
    findings: ['PUBLIC_INVOKER', 'DEFAULT_COMPUTE_SERVICE_ACCOUNT'],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'uptime-monitor'],
    coverage: '0/3',
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
    coverage: '0/5',
    findings: ['UNKNOWN_ACCESS_LEVEL', 'NO_CONTEXT_AWARE_ACCESS'],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'build-dashboard'],
    coverage: '0/5',
    findings: ['SCOPED_POLICY_LEVEL', 'NO_CONTEXT_AWARE_ACCESS'],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'feature-flags'],
    coverage: '0/2',
    findings: ['NEGATED_OR_OR_CONDITION', 'NO_CONTEXT_AWARE_ACCESS'],
  },
  {
    service: ['acme-internal-apps', 'europe-west2', 'admin-console'],
    coverage: '3/3',
    findings: ['PATH_OR_HOST_CONDITION'],
  },
  {
    service: ['acme-internal-apps', 'us-east1', 'reports-service'],
    coverage: '2/3',
    findings: ['INHERITED_ACCESS', 'PARTIAL_CONTEXT_AWARE_ACCESS'],
  },
  {
    service: ['acme-legacy-apps', 'europe-west1', 'legacy-intranet'],
    coverage: '0/8',
    findings: [
      'INHERITED_ACCESS',
      'NO_CONTEXT_AWARE_ACCESS',
      'NOT_IN_PERIMETER',
    ],
  },
  {
    service: ['acme-legacy-apps', 'europe-west1', 'batch-importer'],
    coverage: '0/8',
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

/**
 * Each demo service names its test entity (`<id>-<region>`, owned by team-a, admin-console by
 * team-b), as the create action or `gcloud run services update` would.
 */
const linkedDemoSeed = () =>
  demoSeedLinkedTo(({ region, id }) => ({
    entityRef: `component:default/${id}-${region}`,
    ownerGroup:
      id === 'admin-console' ? 'group:default/team-b' : 'group:default/team-a',
  }));

/** Entities that share a service with another entity are linked by config. */
const configLinks = [
  {
    service: svc('acme-internal-apps', 'europe-west2', 'data-sharing-api'),
    entityRef: 'component:default/data-sharing-api',
  },
  {
    service: svc('acme-internal-apps', 'us-central1', 'data-sharing-api'),
    entityRef: 'component:default/data-sharing-api',
  },
  {
    service: svc('acme-internal-apps', 'europe-west2', 'access-manager'),
    entityRef: 'component:default/secret-app',
  },
];

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

describe('cloud-run-iap backend with the catalog and the Google fake', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: linkedDemoSeed() });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities,
      links: configLinks,
    });
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
    // 14 distinct services (two entities share data-sharing-api) in two projects of one
    // organization, read with one list per region they are in rather than one get each.
    expect(count('run.projects.locations.services.get')).toBe(0);
    const serviceLists = fake
      .requests()
      .filter(r => r.methodId === 'run.projects.locations.services.list');
    expect(serviceLists.map(r => r.path).sort()).toEqual([
      '/v2/projects/acme-internal-apps/locations/europe-west2/services',
      '/v2/projects/acme-internal-apps/locations/us-central1/services',
      '/v2/projects/acme-internal-apps/locations/us-east1/services',
      '/v2/projects/acme-legacy-apps/locations/europe-west1/services',
    ]);
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

  it('leaves health to the backend: /.backstage/health/v1/* answers, the plugin has no /health', async () => {
    const res = await portal.request('GET', '/.backstage/health/v1/liveness', {
      user: null,
    });
    expect(res.status).toBe(200);
    expect(
      (await portal.request('GET', '/api/cloud-run-iap/health', { user: null }))
        .status,
    ).toBe(401);
    expect(
      (await portal.request('GET', '/api/cloud-run-iap/health')).status,
    ).toBe(404);
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
      coverage: { covered: 4, total: 4, ratio: 1, unit: 'person' },
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

  it('answers not-linked, without failing the report, for an annotated service that does not exist', async () => {
    const res = await portal.request('GET', access('missing-app'));
    expect(res.status).toBe(200);
    const report = await json<AccessReportResponse>(res);
    expect(report.services).toEqual([]);
    expect(report.unavailableServices).toEqual([
      expect.objectContaining({
        reason: 'not-linked',
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

  it('decides each caller on its own credentials when many callers ask for one entity at once', async () => {
    const users = [LEAD, OUTSIDER, NO_ACCESS];
    const asked = Array.from({ length: 60 }, (_, i) => users[i % 3]);
    const statuses = await Promise.all(
      asked.map(async user => {
        const res = await portal.request('GET', access('secret-app'), {
          user,
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(statuses).toEqual(
      asked.map(
        user => ({ [LEAD]: 200, [OUTSIDER]: 404, [NO_ACCESS]: 403 }[user]),
      ),
    );
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
    [{ ip: 42 }, /request\/body\/ip must be string/],
    [{ projectId: 'acme-internal-apps' }, /projectId: unknown field/],
    [['10.0.0.1'], /request\/body must be object/],
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
      ['component:default/missing-app', 'not-linked'],
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
      'entityRef,serviceName,member,kind,inOrganization,grantLevels,restriction,topFindingId,topFindingSeverity,expiresAt',
    );
    const review = await json<ReviewResponse>(
      await portal.request(
        'GET',
        '/api/cloud-run-iap/review?owner=group:default/team-a',
      ),
    );
    expect(lines).toHaveLength(review.rows.length + 1);
    expect(text).toContain(',allAuthenticatedUsers,public,false,');
    expect(lines.every(line => line.split(',').length === 10)).toBe(true);
  });

  it('answers 403 for the access levels without cloud-run-iap.access-levels.read, before any Google call', async () => {
    const res = await portal.request(
      'GET',
      '/api/cloud-run-iap/access-levels?project=acme-internal-apps',
      { user: NO_LEVELS },
    );
    expect(res.status).toBe(403);
    const body = await json<any>(res);
    expect(body.error.name).toBe('NotAllowedError');
    expect(body.error.message).toMatch(/cloud-run-iap\.access-levels\.read/);
    expect(JSON.stringify(body)).not.toContain('accessLevels/');
    expect(fake.requests()).toEqual([]);
  });

  it('names no configured project when refusing the access levels of another', async () => {
    const res = await portal.request(
      'GET',
      '/api/cloud-run-iap/access-levels?project=acme-other-project',
    );
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toMatch(/acme-other-project is not one of the projects/);
    for (const project of TEST_PROJECTS) expect(text).not.toContain(project.id);
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
      'anywhere',
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
          owner: DEMO_OWNER,
        },
        {
          name: 'cold',
          annotation: svc('acme-internal-apps', 'europe-west2', 'hr-portal'),
          owner: DEMO_OWNER,
        },
        {
          name: 'degraded',
          annotation: svc('acme-internal-apps', 'europe-west2', 'wiki-search'),
        },
      ],
      links: [
        ['access-manager', 'warm'],
        ['hr-portal', 'cold'],
        ['wiki-search', 'degraded'],
      ].map(([id, name]) => ({
        service: svc('acme-internal-apps', 'europe-west2', id),
        entityRef: `component:default/${name}`,
      })),
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
          /organizations\/123456789012.*PERMISSION_DENIED.*<service account>/,
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
        /^UNAVAILABLE: The service is currently unavailable for <service account>/,
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

/** The body with the names the caller sent replaced, to compare answers for different services. */
function withoutNames(
  report: AccessReportResponse,
  names: Record<string, string>,
): unknown {
  let text = JSON.stringify({ ...report, fetchedAt: '<time>' });
  for (const [name, placeholder] of Object.entries(names)) {
    text = text.split(name).join(placeholder);
  }
  return JSON.parse(text);
}

describe('cloud-run-iap backend: a service is shown only to the entity it names', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;
  const accessManager = svc(
    'acme-internal-apps',
    'europe-west2',
    'access-manager',
  );

  beforeAll(async () => {
    // The demo seed: access-manager names component:default/access-manager and records the
    // owner group internal-apps-team; legacy-intranet names nobody.
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: [
        {
          name: 'access-manager',
          annotation: accessManager,
          owner: DEMO_OWNER,
        },
        {
          name: 'uptime-monitor',
          annotation: svc(
            'acme-internal-apps',
            'europe-west2',
            'uptime-monitor',
          ),
          owner: DEMO_OWNER,
        },
        // Another team registers entities that name services it does not own.
        {
          name: 'squatter',
          annotation: accessManager,
          owner: 'group:default/team-b',
        },
        {
          name: 'squatter-missing',
          annotation: svc('acme-internal-apps', 'europe-west2', 'ghost'),
          owner: 'group:default/team-b',
        },
        {
          name: 'squatter-hidden',
          annotation: svc('acme-forbidden', 'europe-west2', 'hidden'),
          owner: 'group:default/team-b',
        },
        // The team's entity deleted and registered again under the same name by team-b.
        {
          name: 'data-sharing-api',
          annotation: svc(
            'acme-internal-apps',
            'us-central1',
            'data-sharing-api',
          ),
          owner: 'group:default/team-b',
        },
        {
          name: 'legacy-intranet',
          annotation: svc(
            'acme-legacy-apps',
            'europe-west1',
            'legacy-intranet',
          ),
          owner: DEMO_OWNER,
        },
        {
          name: 'legacy-unlinked',
          annotation: svc('acme-legacy-apps', 'europe-west1', 'batch-importer'),
          owner: 'group:default/team-b',
        },
      ],
      links: [
        {
          service: svc('acme-legacy-apps', 'europe-west1', 'legacy-intranet'),
          entityRef: 'component:default/legacy-intranet',
        },
      ],
      cloudRunIap: {
        // A configured project the portal's identity may not read (the fake answers 403).
        projects: [
          ...TEST_PROJECTS,
          { id: 'acme-forbidden', regions: ['europe-west2'] },
        ],
      },
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });
  beforeEach(() => fake.clearRequests());

  const report = async (name: string) => {
    const res = await portal.request('GET', access(name));
    expect(res.status).toBe(200);
    return json<AccessReportResponse>(res);
  };

  it('reports a service to the entity it names, and not to another entity naming it, even from the cache', async () => {
    const owned = await report('access-manager');
    expect(owned.services.map(s => s.resourceName)).toEqual([accessManager]);
    fake.clearRequests();

    const res = await portal.request('GET', access('squatter'));
    expect(res.status).toBe(200);
    const text = await res.text();
    const squatted = JSON.parse(text) as AccessReportResponse;
    // The cached report of access-manager was checked against the squatter, not served.
    expect(fake.requests()).toEqual([]);
    expect(squatted.services).toEqual([]);
    expect(squatted.fromCache).toBe(false);
    expect(squatted.unavailableServices).toEqual([
      {
        ref: expect.objectContaining({ name: accessManager }),
        resourceName: accessManager,
        reason: 'not-linked',
        message: expect.stringContaining(
          'gcloud run services update access-manager --project=acme-internal-apps --region=europe-west2 --update-annotations=backstage.io/entity-ref=component:default/squatter',
        ),
        linkCommand:
          'gcloud run services update access-manager --project=acme-internal-apps --region=europe-west2 --update-annotations=backstage.io/entity-ref=component:default/squatter,backstage.io/owner-group=group:default/team-b',
      },
    ]);
    expect(squatted.unavailableServices[0].message).toMatch(
      /cloudRunIap\.links/,
    );
    for (const secret of [
      'internal-apps-team@example.com',
      'guest@example.com',
      'corp_network',
      'accessors',
      'findings',
      '.run.app',
      'access-manager@',
      'iapEnabled',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('answers exactly the same for a service that does not exist and for one the portal may not read', async () => {
    const squatted = withoutNames(await report('squatter'), {
      'component:default/squatter': '<entity>',
      'access-manager': '<service>',
      'acme-internal-apps': '<project>',
    });
    const missing = withoutNames(await report('squatter-missing'), {
      'component:default/squatter-missing': '<entity>',
      ghost: '<service>',
      'acme-internal-apps': '<project>',
    });
    const hidden = withoutNames(await report('squatter-hidden'), {
      'component:default/squatter-hidden': '<entity>',
      hidden: '<service>',
      'acme-forbidden': '<project>',
    });
    expect(missing).toEqual(squatted);
    expect(hidden).toEqual(squatted);
    // Both were asked of Google: the answer is not a shortcut that skips the lookup.
    expect(fake.requests().some(r => r.path.includes('services/ghost'))).toBe(
      true,
    );
  });

  it('refuses the link when the service records another owner group than the entity has', async () => {
    const impostor = await report('data-sharing-api');
    expect(impostor.services).toEqual([]);
    expect(impostor.unavailableServices.map(u => u.reason)).toEqual([
      'not-linked',
    ]);
    // The same check passes for an entity its recorded group owns.
    const owned = await report('uptime-monitor');
    expect(owned.services).toHaveLength(1);
    expect(owned.unavailableServices).toEqual([]);
  });

  it('links a service the portal did not create through cloudRunIap.links, and only that pair', async () => {
    const linked = await report('legacy-intranet');
    expect(linked.services.map(s => s.resourceName)).toEqual([
      svc('acme-legacy-apps', 'europe-west1', 'legacy-intranet'),
    ]);
    const unlinked = await report('legacy-unlinked');
    expect(unlinked.services).toEqual([]);
    expect(unlinked.unavailableServices.map(u => u.reason)).toEqual([
      'not-linked',
    ]);
  });

  it('simulates only linked services', async () => {
    const simulate = (name: string) =>
      portal
        .request('POST', `${access(name)}/simulate`, {
          body: { ip: '203.0.113.5', region: 'GB' },
        })
        .then(r => json<SimulationResult>(r));
    expect((await simulate('access-manager')).services).toHaveLength(1);
    const squatted = await simulate('squatter');
    expect(squatted.services).toEqual([]);
    expect(JSON.stringify(squatted)).not.toContain('example.com');
  });

  it('leaves unlinked services out of the review rows, and lists them as not linked', async () => {
    const review = await json<ReviewResponse>(
      await portal.request(
        'GET',
        '/api/cloud-run-iap/review?owner=group:default/team-b',
      ),
    );
    expect(review.rows).toEqual([]);
    expect(review.summary.services).toBe(0);
    expect(
      review.unavailableServices.map(u => [u.entityRef, u.reason]),
    ).toEqual([
      ['component:default/data-sharing-api', 'not-linked'],
      ['component:default/legacy-unlinked', 'not-linked'],
      ['component:default/squatter', 'not-linked'],
      ['component:default/squatter-hidden', 'not-linked'],
      ['component:default/squatter-missing', 'not-linked'],
    ]);
    const csv = await portal.request(
      'GET',
      '/api/cloud-run-iap/review?owner=group:default/team-b&format=csv',
    );
    expect((await csv.text()).trimEnd().split('\r\n')).toHaveLength(1);
  });

  it('records an audit event for every simulation and review, JSON and CSV, denied ones too', async () => {
    const before = portal.auditEvents().length;
    await portal.request('POST', `${access('access-manager')}/simulate`, {
      body: { ip: '203.0.113.5' },
    });
    await portal.request('POST', `${access('access-manager')}/simulate`, {
      user: NO_ACCESS,
      body: {},
    });
    await portal.request(
      'GET',
      '/api/cloud-run-iap/review?owner=group:default/team-b',
    );
    await portal.request(
      'GET',
      '/api/cloud-run-iap/review?owner=group:default/team-b&format=csv',
    );
    const events = portal
      .auditEvents()
      .slice(before)
      .filter(e => e.eventId.startsWith('access-'));
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'access-simulate',
        meta: {
          entityRef: 'component:default/access-manager',
          request: { ip: '203.0.113.5' },
        },
        outcome: 'success',
        outcomeMeta: { services: [accessManager] },
      }),
      expect.objectContaining({
        eventId: 'access-simulate',
        outcome: 'fail',
        error: expect.stringMatching(/cloud-run-iap\.access\.read/),
      }),
      expect.objectContaining({
        eventId: 'access-review',
        meta: { owner: 'group:default/team-b', format: 'json' },
        outcome: 'success',
      }),
      expect.objectContaining({
        eventId: 'access-review',
        meta: { owner: 'group:default/team-b', format: 'csv' },
        outcome: 'success',
      }),
    ]);
  });
});

describe('cloud-run-iap backend: bounded work per request', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;
  // A report reads its service with a get, a review with its region's list.
  const slowServiceReads = () =>
    ['get', 'list'].forEach(method =>
      fake.faults.add({
        method: `run.projects.locations.services.${method}`,
        latencyMs: 4_000,
      }),
    );

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    const linked = (name: string, id: string, system?: string) => ({
      name,
      annotation: svc('acme-internal-apps', 'europe-west2', id),
      owner: DEMO_OWNER,
      system,
    });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      cacheTtlSeconds: 1,
      entities: [
        linked('warm', 'access-manager'),
        linked('cold', 'hr-portal'),
        {
          ...linked('abandoned', 'feature-flags'),
          owner: 'group:default/team-c',
        },
        ...['b1', 'b2', 'b3'].map((name, i) => ({
          name,
          annotation: svc('acme-internal-apps', 'europe-west2', 'wiki-search'),
          owner: 'group:default/team-b',
          system: i === 0 ? 'narrow' : undefined,
        })),
      ],
      links: [
        ['access-manager', 'warm'],
        ['hr-portal', 'cold'],
        ['feature-flags', 'abandoned'],
      ].map(([id, name]) => ({
        service: svc('acme-internal-apps', 'europe-west2', id),
        entityRef: `component:default/${name}`,
      })),
      cloudRunIap: {
        report: { deadline: { seconds: 2 } },
        review: { maxEntities: 2 },
      },
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });
  afterEach(() => fake.faults.clear());

  const expire = () => new Promise(r => setTimeout(r, 1_100));

  it('answers 503 when a report passes its deadline with nothing cached, without waiting for Google', async () => {
    slowServiceReads();
    const started = Date.now();
    const res = await portal.request('GET', access('cold'));
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    const body = await json<any>(res);
    expect(body.error.name).toBe('ServiceUnavailableError');
    expect(body.error.message).toBe(
      'The access report for component:default/cold did not finish within 2 s and no earlier report is cached. Google Cloud is slow to answer; try again in a minute.',
    );
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(3_500);
  });

  it('serves the cached report marked stale when a reload passes its deadline', async () => {
    const first = await json<AccessReportResponse>(
      await portal.request('GET', access('warm')),
    );
    expect(first.services).toHaveLength(1);
    await expire();
    slowServiceReads();
    const started = Date.now();
    const res = await portal.request('GET', access('warm'));
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(res.status).toBe(200);
    const report = await json<AccessReportResponse>(res);
    expect(report.fetchedAt).toBe(first.fetchedAt);
    expect(report.stale?.error).toBe(
      'DEADLINE_EXCEEDED: it did not finish within 2 s',
    );
    expect(report.services[0].accessors).toEqual(first.services[0].accessors);
  });

  it('abandons the Google calls of a report whose client went away', async () => {
    slowServiceReads();
    const client = new AbortController();
    const gone = fetch(`${portal.baseUrl}${access('abandoned')}`, {
      headers: { Authorization: mockCredentials.user.header(LEAD) },
      signal: client.signal,
    }).catch(() => undefined);
    await new Promise(r => setTimeout(r, 300));
    client.abort();
    await gone;
    fake.faults.clear();
    await new Promise(r => setTimeout(r, 300));
    // Had the abandoned load gone on, this request would join it and wait for the slow read.
    const started = Date.now();
    const res = await portal.request('GET', access('abandoned'));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('answers 503 when a review passes its deadline with an app that has nothing cached', async () => {
    await expire();
    slowServiceReads();
    const res = await portal.request(
      'GET',
      `/api/cloud-run-iap/review?owner=${DEMO_OWNER}`,
    );
    expect(res.status).toBe(503);
    expect((await json<any>(res)).error.message).toMatch(
      /^The review of group:default\/internal-apps-team did not finish within 2 s: 1 of 2 apps had no report in time/,
    );
  });

  it('refuses a review over cloudRunIap.review.maxEntities with 400, before any Google call, and says how to narrow it', async () => {
    fake.clearRequests();
    const res = await portal.request(
      'GET',
      '/api/cloud-run-iap/review?owner=group:default/team-b',
    );
    expect(res.status).toBe(400);
    const body = await json<any>(res);
    expect(body.error.name).toBe('InputError');
    expect(body.error.message).toMatch(
      /covers 3 entities; at most 2 are reviewed at once \(cloudRunIap\.review\.maxEntities\)\. Narrow it with system=/,
    );
    expect(fake.requests()).toEqual([]);

    const narrowed = await portal.request(
      'GET',
      '/api/cloud-run-iap/review?owner=group:default/team-b&system=narrow',
    );
    expect(narrowed.status).toBe(200);
    expect((await json<ReviewResponse>(narrowed)).summary.apps).toBe(1);
  });
});

describe('cloud-run-iap backend configuration', () => {
  it('refuses to start with no cloudRunIap.projects', async () => {
    await expect(
      startPluginTestBackend({
        fakeUrl: 'http://127.0.0.1:9',
        entities: [],
        cloudRunIap: { projects: [] },
      }),
    ).rejects.toThrow(
      /cloudRunIap\.projects is empty: list the Google Cloud projects the portal reports on/,
    );
  });

  it('refuses a link to a project that is not configured, naming the entry', async () => {
    await expect(
      startPluginTestBackend({
        fakeUrl: 'http://127.0.0.1:9',
        entities: [],
        links: [
          {
            service: svc('acme-elsewhere', 'europe-west2', 'x'),
            entityRef: 'component:default/x',
          },
        ],
      }),
    ).rejects.toThrow(
      /cloudRunIap\.links\[0\]\.service is in project acme-elsewhere, which is not one of cloudRunIap\.projects/,
    );
  });
});

describe("cloud-run-iap backend with the repository's app-config, example apps and demo seed", () => {
  const root = path.resolve(__dirname, '../../..');
  const appConfig = parseYaml(
    fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
  ).cloudRunIap;
  const examples: TestEntity[] = parseAllDocuments(
    fs.readFileSync(path.join(root, 'examples/entities.yaml'), 'utf8'),
  )
    .map(doc => doc.toJS())
    .filter(e => e.kind === 'Component')
    .map(e => ({
      name: e.metadata.name,
      annotation: e.metadata.annotations['google.com/cloud-run-service'],
      owner: e.spec.owner,
    }));
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: demoSeedPath });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: examples,
      links: appConfig.links,
      cloudRunIap: { projects: appConfig.projects },
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  it('has example apps to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
  });

  it('shows every service of every example app to its entity (the card of each example app)', async () => {
    for (const example of examples) {
      const report = await json<AccessReportResponse>(
        await portal.request('GET', access(example.name)),
      );
      expect({
        entity: example.name,
        unavailable: report.unavailableServices.map(u => u.reason),
        services: report.services.map(s => s.resourceName),
      }).toEqual({
        entity: example.name,
        unavailable: [],
        services: example.annotation!.split(','),
      });
    }
  });
});
