import {
  GoogleCloudFake,
  parseSeed,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import type { SelfCheckResult } from '@internal-apps/plugin-cloud-run-iap-common';
import {
  LEAD,
  NO_ACCESS,
  PluginTestBackend,
  startPluginTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

/*
 * "Why can't I get in?" through the HTTP API against the fake: one service per situation, each
 * checked by the user it is about, who need not hold cloud-run-iap.access.read.
 */

const agent =
  'serviceAccount:service-100000000001@gcp-sa-iap.iam.gserviceaccount.com';

function service(
  id: string,
  iap: { bindings: unknown[]; settings?: unknown },
  extra: Record<string, unknown> = {},
) {
  return {
    id,
    region: 'europe-west2',
    image: `europe-west2-docker.pkg.dev/acme-internal-apps/apps/${id}:1.0.0`,
    iapEnabled: true,
    annotations: { 'backstage.io/entity-ref': `component:default/${id}` },
    runPolicy: {
      bindings: [{ role: 'roles/run.invoker', members: [agent] }],
    },
    iap: {
      policy: { version: 3, bindings: iap.bindings },
      ...(iap.settings ? { settings: iap.settings } : {}),
    },
    ...extra,
  };
}

const accessor = (members: string[], expression?: string) => ({
  role: 'roles/iap.httpsResourceAccessor',
  members,
  ...(expression ? { condition: { title: 'Condition', expression } } : {}),
});
const CORP_NETWORK = 'accessPolicies/555000000001/accessLevels/corp_network';

const seed = {
  organizations: [{ id: '123456789012', domain: 'example.com' }],
  projects: [
    {
      id: 'acme-internal-apps',
      number: '100000000001',
      parent: 'organizations/123456789012',
      iapServiceAgent: 'provisioned',
      services: [
        service('door-sign', {
          bindings: [accessor(['user:ada@example.com'])],
        }),
        service('team-wiki', {
          bindings: [accessor(['group:team@example.com'])],
        }),
        service('vault', {
          bindings: [
            accessor(
              ['group:team@example.com'],
              `"${CORP_NETWORK}" in request.auth.access_levels`,
            ),
          ],
        }),
        service('partner-hub', {
          bindings: [accessor(['user:ada@example.com'])],
          settings: {
            accessSettings: {
              allowedDomainsSettings: {
                enable: true,
                domains: ['partner.example'],
              },
            },
          },
        }),
        service(
          'old-app',
          { bindings: [accessor(['user:ada@example.com'])] },
          { iapEnabled: false },
        ),
        // Only asked for by requests refused before Google: nothing of it is ever cached.
        service('quiet-room', {
          bindings: [accessor(['user:ada@example.com'])],
        }),
        service('audit-log', {
          bindings: [
            accessor(
              ['user:ken@example.com'],
              'request.time < timestamp("2025-01-01T00:00:00Z")',
            ),
          ],
        }),
      ],
    },
  ],
  accessPolicies: [
    {
      number: '555000000001',
      parent: 'organizations/123456789012',
      title: 'Example Org access policy',
      accessLevels: [
        {
          id: 'corp_network',
          title: 'Corporate network',
          basic: { conditions: [{ ipSubnetworks: ['203.0.113.0/24'] }] },
        },
      ],
    },
  ],
  groups: [
    {
      email: 'team@example.com',
      members: ['user:grace@example.com', 'user:linus@example.com'],
    },
  ],
};

const SERVICES = [
  'door-sign',
  'team-wiki',
  'vault',
  'partner-hub',
  'old-app',
  'audit-log',
  'quiet-room',
];

describe("POST .../access/self-check: why can't I get in?", () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({ seed: parseSeed(seed) });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: SERVICES.map(id => ({
        name: id,
        annotation: `projects/acme-internal-apps/locations/europe-west2/services/${id}`,
      })),
      users: [
        { name: 'ada', email: 'ada@example.com' },
        { name: 'grace', email: 'Grace@Example.com' },
        { name: 'ken', email: 'ken@example.com' },
        { name: 'no-access', email: 'noah@example.com' },
        { name: 'no-email' },
      ],
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  async function selfCheck(
    user: string | null,
    app: string,
    body: unknown = {},
  ): Promise<{ status: number; text: string; json: any }> {
    const res = await portal.request(
      'POST',
      `/api/cloud-run-iap/entities/by-name/component/default/${app}/access/self-check`,
      { user, body },
    );
    const text = await res.text();
    return { status: res.status, text, json: JSON.parse(text) };
  }

  async function verdict(user: string, app: string, body: unknown = {}) {
    const { status, json, text } = await selfCheck(user, app, body);
    expect([status, text]).toEqual([200, expect.any(String)]);
    const result = json as SelfCheckResult;
    expect(result.services).toHaveLength(1);
    return { member: result.member, ...result.services[0], text };
  }

  it('allows a user granted directly, naming the grant', async () => {
    const result = await verdict('user:default/ada', 'door-sign');
    expect(result).toMatchObject({
      member: 'user:ada@example.com',
      service:
        'projects/acme-internal-apps/locations/europe-west2/services/door-sign',
      verdict: 'allowed',
      through: {
        level: 'service',
        resource:
          'projects/100000000001/iap_web/cloud_run-europe-west2/services/door-sign',
      },
      missing: [],
      canRequest: false,
    });
    expect(result.through?.viaGroup).toBeUndefined();
    expect(result.through?.grant).toContain('roles/iap.httpsResourceAccessor');
  });

  it('allows a user through a group they are in, naming the group (the email in any case)', async () => {
    const result = await verdict('user:default/grace', 'team-wiki');
    expect(result).toMatchObject({
      member: 'user:grace@example.com',
      verdict: 'allowed',
      through: { level: 'service', viaGroup: 'group:team@example.com' },
      missing: [],
    });
    // The group's other member is not mentioned.
    expect(result.text).not.toContain('linus');
  });

  it('denies a user with no grant, and offers the request, for a user without cloud-run-iap.access.read', async () => {
    const report = await portal.request(
      'GET',
      '/api/cloud-run-iap/entities/by-name/component/default/door-sign/access',
      { user: NO_ACCESS },
    );
    expect(report.status).toBe(403);
    const result = await verdict(NO_ACCESS, 'door-sign');
    expect(result).toMatchObject({
      member: 'user:noah@example.com',
      verdict: 'denied',
      missing: [{ reason: 'no-grant', message: expect.any(String) }],
      canRequest: true,
    });
    expect(result.through).toBeUndefined();
    expect(result.text).not.toContain('ada');
  });

  it('denies a user in none of the groups that hold access, without naming them or their members', async () => {
    const result = await verdict('user:default/ken', 'team-wiki');
    expect(result).toMatchObject({
      verdict: 'denied',
      missing: [{ reason: 'not-in-group' }],
      canRequest: true,
    });
    expect(result.missing[0].message).toContain('1 group');
    expect(result.text).not.toMatch(/team@|grace|linus/);
  });

  it('denies a request from an IP the access level does not admit, and allows one it does', async () => {
    const outside = await verdict('user:default/grace', 'vault', {
      ip: '192.0.2.10',
    });
    expect(outside).toMatchObject({
      verdict: 'denied',
      missing: [{ reason: 'access-level' }],
      canRequest: true,
    });
    expect(outside.missing[0].message).toMatch(
      /^The condition of the service grant .* does not hold for this request: .*IP 192\.0\.2\.10 is not in 203\.0\.113\.0\/24/,
    );

    const inside = await verdict('user:default/grace', 'vault', {
      ip: '203.0.113.9',
    });
    expect(inside).toMatchObject({
      verdict: 'allowed',
      through: { viaGroup: 'group:team@example.com' },
    });

    const untold = await verdict('user:default/grace', 'vault');
    expect(untold).toMatchObject({
      verdict: 'allowed-if-context',
      through: { viaGroup: 'group:team@example.com' },
      missing: [{ reason: 'access-level' }],
    });
    expect(untold.missing[0].message).toContain('needs an IP');
  });

  it('denies a user whose domain may not sign in, even with a grant, and offers no request', async () => {
    const result = await verdict('user:default/ada', 'partner-hub');
    expect(result).toMatchObject({
      verdict: 'denied',
      missing: [{ reason: 'domain-cannot-sign-in' }],
      canRequest: false,
    });
    expect(result.missing[0].message).toContain('partner.example');
  });

  it('says IAP is off, even to a user with a grant', async () => {
    const result = await verdict('user:default/ada', 'old-app');
    expect(result).toMatchObject({
      verdict: 'denied',
      missing: [{ reason: 'iap-off' }],
      canRequest: false,
    });
  });

  it('says when a time-bound grant has expired', async () => {
    const result = await verdict('user:default/ken', 'audit-log');
    expect(result).toMatchObject({
      verdict: 'denied',
      missing: [{ reason: 'grant-expired' }],
      canRequest: true,
    });
    expect(result.missing[0].message).toContain('2025-01-01T00:00:00Z');
  });

  it('answers 401 without a user, before reading anything', async () => {
    fake.clearRequests();
    const { status, json } = await selfCheck(null, 'quiet-room');
    expect(status).toBe(401);
    expect(json.error.name).toBe('AuthenticationError');
    expect(fake.requests()).toEqual([]);
  });

  it('answers 404 for an entity the caller cannot read', async () => {
    const { status, json } = await selfCheck(
      'user:default/ada',
      'nothing-here',
    );
    expect(status).toBe(404);
    expect(json.error.name).toBe('NotFoundError');
  });

  it.each([
    ['a user entity without spec.profile.email', 'user:default/no-email'],
    ['a user with no entity in the catalog', LEAD],
  ])(
    'answers 400 naming spec.profile.email for %s, before asking Google',
    async (_, user) => {
      fake.clearRequests();
      const { status, json } = await selfCheck(user, 'quiet-room');
      expect(status).toBe(400);
      expect(json.error.name).toBe('InputError');
      expect(json.error.message).toContain('spec.profile.email');
      expect(fake.requests()).toEqual([]);
    },
  );

  it('records an audit event with the verdicts, and no other member', async () => {
    await verdict('user:default/ken', 'team-wiki');
    const event = portal
      .auditEvents()
      .filter(e => e.eventId === 'access-self-check')
      .pop();
    expect(event).toMatchObject({
      meta: { entityRef: 'component:default/team-wiki' },
      outcome: 'success',
      outcomeMeta: {
        verdicts: [
          'projects/acme-internal-apps/locations/europe-west2/services/team-wiki denied',
        ],
      },
    });
  });
});
