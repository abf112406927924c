import notificationsBackend from '@backstage/plugin-notifications-backend';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  GoogleCloudFake,
  startGoogleCloudFake,
} from '@internal-apps/google-cloud-fake';
import { demoSeedLinkedTo } from '../__testUtils__/seeds';
import {
  LEAD,
  NO_ACCESS,
  PluginTestBackend,
  REQUESTER,
  startPluginTestBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/*
 * The actions through the actions registry's own HTTP API (what the MCP backend calls), against
 * the fake: the same answers and refusals as the HTTP routes, with the caller's credentials.
 */

const svc = (id: string) =>
  `projects/acme-internal-apps/locations/europe-west2/services/${id}`;
const APPS = ['data-sharing-api', 'access-manager', 'admin-console'];

describe('cloud-run-iap actions', () => {
  let fake: GoogleCloudFake;
  let portal: PluginTestBackend;

  beforeAll(async () => {
    fake = await startGoogleCloudFake({
      seed: demoSeedLinkedTo(({ id }) => ({
        entityRef: `component:default/${id}`,
        ownerGroup: 'group:default/team-a',
      })),
    });
    portal = await startPluginTestBackend({
      fakeUrl: fake.url,
      entities: APPS.map(id => ({ name: id, annotation: svc(id) })),
      users: [{ name: 'requester', email: 'requester@example.com' }],
      features: [notificationsBackend],
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  async function invoke(
    action: string,
    input: Record<string, unknown>,
    authorization: string = mockCredentials.user.header(LEAD),
  ) {
    const res = await fetch(
      `${portal.baseUrl}/api/cloud-run-iap/.backstage/actions/v2/actions/cloud-run-iap:${action}/invoke`,
      {
        method: 'POST',
        headers: {
          Authorization: authorization,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ input }),
      },
    );
    const body = (await res.json()) as {
      output?: any;
      error?: { name: string; message: string };
    };
    return { status: res.status, ...body };
  }
  const as = (user: string) => mockCredentials.user.header(user);

  it('lists the four actions with their attributes', async () => {
    const res = await fetch(
      `${portal.baseUrl}/api/cloud-run-iap/.backstage/actions/v1/actions`,
      { headers: { Authorization: as(LEAD) } },
    );
    expect(res.status).toBe(200);
    const { actions } = (await res.json()) as {
      actions: Array<{
        id: string;
        attributes: Record<string, boolean>;
        schema: { input: { required?: string[] } };
      }>;
    };
    expect(
      Object.fromEntries(
        actions.map(a => [
          a.id,
          [a.attributes.readOnly, a.schema.input.required],
        ]),
      ),
    ).toEqual({
      'cloud-run-iap:get-app-access': [true, ['entityRef']],
      'cloud-run-iap:simulate-app-access': [true, ['entityRef']],
      'cloud-run-iap:list-access-findings': [true, ['owner']],
      'cloud-run-iap:request-app-access': [
        false,
        ['entityRef', 'service', 'justification', 'duration'],
      ],
    });
  });

  it('get-app-access answers the summary of the report GET .../access answers', async () => {
    const { status, output } = await invoke('get-app-access', {
      entityRef: 'data-sharing-api',
    });
    expect(status).toBe(200);
    const res = await portal.request(
      'GET',
      '/api/cloud-run-iap/entities/by-name/component/default/data-sharing-api/access',
    );
    const report = (await res.json()) as any;
    expect(output.entityRef).toBe('component:default/data-sharing-api');
    expect(output.services).toHaveLength(1);
    const [service] = output.services;
    expect(service).toMatchObject({
      resourceName: report.services[0].resourceName,
      iapEnabled: report.services[0].iapEnabled,
      coverage: {
        covered: report.services[0].coverage.covered,
        total: report.services[0].coverage.total,
      },
    });
    expect(service.accessors.map((a: any) => a.member)).toEqual(
      report.services[0].accessors.map((a: any) => a.member),
    );
    expect(service.findings.map((f: any) => f.id)).toEqual(
      report.services[0].findings.map((f: any) => f.id),
    );
    expect(service.findings.length).toBeGreaterThan(0);
  });

  it('refuses what the HTTP API refuses: no access.read, an unknown app, a service principal', async () => {
    const denied = await invoke(
      'get-app-access',
      { entityRef: 'component:default/data-sharing-api' },
      as(NO_ACCESS),
    );
    expect(denied.status).toBe(403);
    expect(denied.error?.message).toContain('cloud-run-iap.access.read');

    const unknown = await invoke('get-app-access', { entityRef: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.error?.message).toBe(
      'No entity component:default/nope found',
    );

    const service = await invoke(
      'get-app-access',
      { entityRef: 'data-sharing-api' },
      mockCredentials.service.header(),
    );
    expect(service.status).toBe(403);
    expect(service.error?.message).toContain('acts for a signed-in user');

    const malformed = await invoke('get-app-access', {
      entityRef: 'component:default/',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.error?.message).toBe(
      'entityRef: Entity reference "component:default/" was not on the form [<kind>:][<namespace>/]<name>',
    );
  });

  it('simulate-app-access answers what POST .../access/simulate answers, and validates alike', async () => {
    const input = { ip: '198.51.100.7', region: 'GB' };
    const { status, output } = await invoke('simulate-app-access', {
      entityRef: 'access-manager',
      ...input,
    });
    expect(status).toBe(200);
    const res = await portal.request(
      'POST',
      '/api/cloud-run-iap/entities/by-name/component/default/access-manager/access/simulate',
      { body: input },
    );
    expect(res.status).toBe(200);
    expect(output).toEqual(await res.json());

    const bad = await invoke('simulate-app-access', {
      entityRef: 'access-manager',
      ip: '999.1.1.1',
    });
    expect(bad.status).toBe(400);
    expect(bad.error?.message).toBe(
      'Invalid simulation request: ip: must be an IPv4 or IPv6 address',
    );

    const denied = await invoke(
      'simulate-app-access',
      { entityRef: 'access-manager' },
      as(NO_ACCESS),
    );
    expect(denied.status).toBe(403);
  });

  it('list-access-findings lists the findings of the apps the caller may read, most severe first', async () => {
    const { status, output } = await invoke('list-access-findings', {
      owner: 'team-a',
    });
    expect(status).toBe(200);
    expect(output.owner).toBe('group:default/team-a');
    expect(output.apps).toBe(APPS.length);
    const severities = ['critical', 'high', 'medium', 'low', 'info'];
    const ranks = output.findings.map((f: any) =>
      severities.indexOf(f.severity),
    );
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // The findings of the apps' own reports, each under its app and service.
    const perApp = await Promise.all(
      APPS.map(async id => {
        const app = await invoke('get-app-access', { entityRef: id });
        return app.output.services.flatMap((service: any) =>
          service.findings.map(
            (f: any) =>
              `${app.output.entityRef} ${service.resourceName} ${f.id}`,
          ),
        );
      }),
    );
    expect(
      output.findings
        .map((f: any) => `${f.entityRef} ${f.service} ${f.id}`)
        .sort(),
    ).toEqual(perApp.flat().sort());
    expect(output.findings.length).toBeGreaterThan(1);

    const high = await invoke('list-access-findings', {
      owner: 'group:default/team-a',
      minSeverity: 'high',
    });
    expect(high.output.findings.length).toBeLessThan(output.findings.length);
    expect(
      high.output.findings.every((f: any) =>
        ['critical', 'high'].includes(f.severity),
      ),
    ).toBe(true);

    // The review leaves out, silently, the apps whose access the caller may not read.
    const none = await invoke(
      'list-access-findings',
      { owner: 'team-a' },
      as(NO_ACCESS),
    );
    expect(none.status).toBe(200);
    expect(none.output).toMatchObject({ apps: 0, findings: [] });
  });

  it('request-app-access creates a pending request of the caller, with the route’s checks', async () => {
    const { status, output } = await invoke(
      'request-app-access',
      {
        entityRef: 'admin-console',
        service: svc('admin-console'),
        justification: 'On call this week',
        duration: 'P1D',
      },
      as(REQUESTER),
    );
    expect(status).toBe(200);
    expect(output).toMatchObject({
      entityRef: 'component:default/admin-console',
      service: svc('admin-console'),
      requester: REQUESTER,
      member: 'user:requester@example.com',
      status: 'pending',
      duration: 'P1D',
    });
    const listed = await portal.request(
      'GET',
      '/api/cloud-run-iap/entities/by-name/component/default/admin-console/access/requests',
      { user: REQUESTER },
    );
    expect(((await listed.json()) as any).items.map((r: any) => r.id)).toEqual([
      output.id,
    ]);
    expect(portal.auditEvents()).toContainEqual(
      expect.objectContaining({
        eventId: 'cloud-run-iap-access-request',
        meta: expect.objectContaining({ via: 'action', actor: REQUESTER }),
        outcome: 'success',
      }),
    );

    const blank = await invoke(
      'request-app-access',
      {
        entityRef: 'admin-console',
        service: svc('admin-console'),
        justification: '   ',
        duration: 'P1D',
      },
      as(REQUESTER),
    );
    expect(blank.status).toBe(400);
    expect(blank.error?.message).toMatch(/^justification: /);

    const permanent = await invoke(
      'request-app-access',
      {
        entityRef: 'admin-console',
        service: svc('admin-console'),
        justification: 'Forever',
        duration: 'permanent',
      },
      as(REQUESTER),
    );
    expect(permanent.status).toBe(400);
    expect(permanent.error?.message).toMatch(/^duration: /);

    const unknownField = await invoke(
      'request-app-access',
      {
        entityRef: 'admin-console',
        service: svc('admin-console'),
        justification: 'x',
        duration: 'P1D',
        grant: true,
      },
      as(REQUESTER),
    );
    expect(unknownField.status).toBe(400);
    expect(unknownField.error?.message).toMatch(
      /^Invalid input to action "cloud-run-iap:request-app-access"; caused by .*Unrecognized key\(s\) in object: 'grant'/s,
    );
  });
});
